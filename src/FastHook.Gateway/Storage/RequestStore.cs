using System.Text;
using FastHook.Gateway.Configuration;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace FastHook.Gateway.Storage;

/// <summary>
/// Writes captured requests to their source's stream and reads them back.
/// </summary>
public sealed class RequestStore(IConnectionMultiplexer redis)
{
    private IDatabase Database => redis.GetDatabase();

    /// <summary>
    /// Captures a verified request durably and returns its id. Completes only after Redis has applied the write.
    /// With <paramref name="deduplication"/>, a request whose delivery id was captured within the window is not
    /// captured again, and the result names the first request instead. Without it the capture is one XADD: no
    /// script, so Redis copies the body once. Waking the routers is the caller's step.
    /// </summary>
    public async Task<CaptureResult> CaptureAsync(
        SourceRoute source,
        string method,
        string path,
        QueryString query,
        IHeaderDictionary headers,
        ReadOnlyMemory<byte> body,
        string verification,
        DeduplicationKey? deduplication = null)
    {
        if (deduplication is not { } key)
        {
            NameValueEntry[] fields =
            [
                new("m", method), new("p", path), new("q", query.Value ?? ""), new("h", HeaderCodec.Encode(headers)), new("b", body), new("v", verification),
            ];
            var id = await Database.StreamAddAsync(source.Keys.Requests, fields);
            return new CaptureResult(id.ToString(), false);
        }

        RedisValue[] arguments =
        [
            method, path, query.Value ?? "", HeaderCodec.Encode(headers), body, verification,
            // PX takes whole milliseconds and rejects 0, so a sub-millisecond window rounds up to 1.
            Math.Max(1L, (long)key.Window.TotalMilliseconds),
        ];

        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(Scripts.Capture, [source.Keys.Requests, key.Key], arguments))!;
        return new CaptureResult(result[0].ToString(), (long)result[1] == 1);
    }

    /// <summary>
    /// Reads the requests of several events in one round trip; an entry is null when its request is no longer stored.
    /// </summary>
    public async Task<StoredRequest?[]> ReadManyAsync(IReadOnlyList<(SourceKeys Source, string RequestId)> wanted)
    {
        var batch = Database.CreateBatch();
        var reads = new Task<StreamEntry[]>[wanted.Count];
        for (var i = 0; i < wanted.Count; i++)
        {
            reads[i] = batch.StreamRangeAsync(wanted[i].Source.Requests, wanted[i].RequestId, wanted[i].RequestId, count: 1);
        }

        batch.Execute();
        var requests = new StoredRequest?[wanted.Count];
        for (var i = 0; i < reads.Length; i++)
        {
            var entries = await reads[i];
            requests[i] = entries.Length == 0 || entries[0].IsNull ? null : Parse(entries[0]);
        }

        return requests;
    }

    /// <summary>
    /// Lists requests newest first, starting before <paramref name="before"/> (an exclusive request id) when given.
    /// </summary>
    public async Task<IReadOnlyList<StoredRequest>> ListAsync(SourceKeys source, string? before, int limit)
    {
        if (before is "0-0")
        {
            // Nothing comes before the first possible id, and Redis rejects "(0-0" as a range end.
            return [];
        }

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

/// <summary>
/// The outcome of a capture: the request's id, or the first request's id when this one was a duplicate.
/// </summary>
public readonly record struct CaptureResult(string RequestId, bool IsDuplicate);

/// <summary>
/// The Redis key that remembers one delivery id, and how long it is remembered.
/// </summary>
public readonly record struct DeduplicationKey(RedisKey Key, TimeSpan Window);
