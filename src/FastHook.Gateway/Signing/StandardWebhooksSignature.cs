using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FastHook.Gateway.Signing;

/// <summary>
/// The Standard Webhooks signature: base64 of HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}",
/// keyed with the bytes base64-decoded from the part of the secret after "whsec_".
/// </summary>
public static class StandardWebhooksSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The version tag before each signature in the header.</summary>
    public const string Version = "v1";

    /// <summary>
    /// Computes the raw HMAC-SHA256 digest into <paramref name="destination"/> (32 bytes).
    /// </summary>
    public static void ComputeDigest(ReadOnlySpan<byte> key, string id, long timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}.");
        var prefixLength = Encoding.UTF8.GetByteCount(prefix);
        var buffer = ArrayPool<byte>.Shared.Rent(prefixLength);
        try
        {
            Encoding.UTF8.GetBytes(prefix, buffer);
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            hmac.AppendData(buffer.AsSpan(0, prefixLength));
            hmac.AppendData(body);
            hmac.GetHashAndReset(destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Builds the webhook-signature header value: "v1,{base64}" for each key, separated by spaces.
    /// </summary>
    public static string CreateHeader(IReadOnlyList<byte[]> keys, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var builder = new StringBuilder();
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var key in keys)
        {
            ComputeDigest(key, id, timestamp, body, digest);
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(Version).Append(',').Append(Convert.ToBase64String(digest));
        }

        return builder.ToString();
    }
}
