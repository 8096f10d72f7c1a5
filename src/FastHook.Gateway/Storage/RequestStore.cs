using System.Text;
using FastHook.Gateway.Configuration;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace FastHook.Gateway.Storage;

/// <summary>
/// Writes captured requests to their source's stream and reads them back.
/// </summary>
public sealed class RequestStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    private IDatabase Database => redis.GetDatabase();

    /// <summary>
    /// Captures a verified request durably and returns its id. Completes only after Redis has applied the write.
    /// </summary>
    public async Task<string> CaptureAsync(SourceRoute source, string method, string path, QueryString query, IHeaderDictionary headers, ReadOnlyMemory<byte> body, string verification)
    {
        var result = await Database.ScriptEvaluateAsync(
            Scripts.Capture,
            [source.Keys.Requests],
            [method, path, query.Value ?? "", HeaderCodec.Encode(headers), body, verification, keys.WakeChannel.ToString(), "source:" + source.Name]);
        return result.ToString();
    }

    public async Task<StoredRequest?> ReadAsync(SourceKeys source, string requestId)
    {
        var entries = await Database.StreamRangeAsync(source.Requests, requestId, requestId, count: 1);
        return entries.Length == 0 || entries[0].IsNull ? null : Parse(entries[0]);
    }

    /// <summary>
    /// Lists requests newest first, starting before <paramref name="before"/> (an exclusive request id) when given.
    /// </summary>
    public async Task<IReadOnlyList<StoredRequest>> ListAsync(SourceKeys source, string? before, int limit)
    {
        var max = before is null ? "+" : "(" + before;
        var entries = await Database.StreamRangeAsync(source.Requests, "-", max, limit, Order.Descending);
        return entries.Where(entry => !entry.IsNull).Select(Parse).ToList();
    }

    public static StoredRequest Parse(StreamEntry entry)
    {
        var method = "";
        var path = "";
        var query = "";
        var verification = "";
        ReadOnlyMemory<byte> headers = default;
        ReadOnlyMemory<byte> body = default;
        foreach (var field in entry.Values)
        {
            switch ((string?)field.Name)
            {
                case "m":
                    method = field.Value.ToString();
                    break;
                case "p":
                    path = field.Value.ToString();
                    break;
                case "q":
                    query = field.Value.ToString();
                    break;
                case "h":
                    headers = (ReadOnlyMemory<byte>)field.Value;
                    break;
                case "b":
                    body = (ReadOnlyMemory<byte>)field.Value;
                    break;
                case "v":
                    verification = field.Value.ToString();
                    break;
            }
        }

        return new StoredRequest
        {
            Id = entry.Id.ToString(),
            Method = method,
            Path = path,
            Query = query,
            Headers = HeaderCodec.Decode(headers.Span),
            Body = body,
            Verification = verification,
        };
    }

    /// <summary>Returns the body as text for display, replacing bytes that are not UTF-8.</summary>
    public static string BodyText(StoredRequest request) => Encoding.UTF8.GetString(request.Body.Span);
}
