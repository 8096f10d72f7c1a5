using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace FastHook.Gateway.Ingest;

/// <summary>
/// Reads a request body into one pooled buffer, stopping as soon as it exceeds the source's limit,
/// so an oversized or endless body is never read whole.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>
    /// Returns the body in a buffer rented from <see cref="ArrayPool{T}.Shared"/> (the caller returns it), or null
    /// when the body is larger than <paramref name="maxBytes"/>.
    /// </summary>
    public static async Task<(byte[] Buffer, int Length)?> ReadAsync(HttpContext context, long maxBytes, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            return null;
        }

        // NOTE: Kestrel's per-request body limit is left unset on purpose: for chunked bodies it counts the chunk
        // framing too, so it rejected bodies below the limit. The loop below counts decoded bytes and stops
        // reading at the first byte past the limit.
        var capacity = (int)Math.Min(maxBytes + 1, request.ContentLength is { } length ? length + 1 : 16 * 1024);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 1));
        var total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (total > maxBytes)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1, (long)buffer.Length * 2));
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return (buffer, total);
    }
}
