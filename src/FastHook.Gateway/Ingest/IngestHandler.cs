using System.Buffers;
using System.Diagnostics;
using System.Text;
using FastHook.Gateway.Configuration;
using FastHook.Gateway.Diagnostics;
using FastHook.Gateway.Metrics;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Verification;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Gateway.Ingest;

/// <summary>
/// Receives provider requests: method check, size limit, verification, durable capture, then the configured
/// response. The provider gets 2xx only after Redis has applied the write; otherwise 503, so it retries.
/// </summary>
public sealed partial class IngestHandler(
    RouteTableProvider routes,
    RequestStore requests,
    WakeSignals wake,
    GatewayOptions options,
    GatewayMetrics metrics,
    TimeProvider clock,
    ILogger<IngestHandler> logger)
{
    private static readonly byte[] NotFoundBody = Encoding.UTF8.GetBytes("{\"error\":\"No source receives requests on this path.\"}");
    private static readonly byte[] MethodNotAllowedBody = Encoding.UTF8.GetBytes("{\"error\":\"This method is not allowed on this source.\"}");
    private static readonly byte[] TooLargeBody = Encoding.UTF8.GetBytes("{\"error\":\"The request body is larger than this source accepts.\"}");
    private static readonly byte[] UnverifiedBody = Encoding.UTF8.GetBytes("{\"error\":\"The request could not be verified.\"}");
    private static readonly byte[] UnavailableBody = Encoding.UTF8.GetBytes("{\"error\":\"The request could not be stored; retry later.\"}");

    private readonly LogThrottle _throttle = new(clock, TimeSpan.FromSeconds(10));

    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var request = context.Request;

        if (!routes.Current.SourcesByPath.TryGetValue(request.Path.Value ?? "", out var source))
        {
            metrics.RequestsUnmatched.Inc();
            await RespondAsync(context, StatusCodes.Status404NotFound, NotFoundBody);
            return;
        }

        if (!source.AllowedMethods.Contains(request.Method))
        {
            metrics.RequestsReceived.WithLabels(source.Name, "methodNotAllowed").Inc();
            context.Response.Headers.Allow = string.Join(", ", source.AllowedMethods.Order(StringComparer.Ordinal));
            await RespondAsync(context, StatusCodes.Status405MethodNotAllowed, MethodNotAllowedBody);
            return;
        }

        var body = await RequestBodyReader.ReadAsync(context, source.MaxBodyBytes, context.RequestAborted);
        if (body is not { } received)
        {
            metrics.RequestsReceived.WithLabels(source.Name, "tooLarge").Inc();
            context.Response.Headers.Connection = "close";
            await RespondAsync(context, StatusCodes.Status413PayloadTooLarge, TooLargeBody);
            return;
        }

        await VerifyAndCaptureAsync(context, source, received.Buffer, received.Length, started);
    }

    /// <summary>
    /// Verifies, captures and responds to the request, and returns <paramref name="buffer"/> to the pool once no
    /// command references it. A capture that timed out may still sit in the Redis client's queue, pointing at
    /// the buffer, so the buffer goes back only when that command has finished.
    /// </summary>
    private async Task VerifyAndCaptureAsync(HttpContext context, SourceRoute source, byte[] buffer, int length, long started)
    {
        Task<CaptureResult>? capture = null;
        try
        {
            await VerifyAndCaptureAsync(context, source, buffer.AsMemory(0, length), started, sent => capture = sent);
        }
        finally
        {
            if (capture is null || capture.IsCompleted)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            else
            {
                _ = capture.ContinueWith(static (_, state) => ArrayPool<byte>.Shared.Return((byte[])state!), buffer, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <param name="sent">Receives the capture command as soon as it is sent, so the caller can tell when the body is free.</param>
    private async Task VerifyAndCaptureAsync(HttpContext context, SourceRoute source, ReadOnlyMemory<byte> body, long started, Action<Task<CaptureResult>> sent)
    {
        var request = context.Request;
        var incoming = new IncomingRequest(request.Method, request.Path.Value ?? "", request.QueryString, request.Headers, body, clock.GetUtcNow());

        var verification = source.Verifier.Verify(incoming);
        if (!verification.IsValid)
        {
            metrics.RequestsReceived.WithLabels(source.Name, "unverified").Inc();
            metrics.VerificationFailures.WithLabels(source.Name, verification.Reason).Inc();
            if (_throttle.ShouldLog("unverified:" + source.Name, out var suppressed))
            {
                Log.Unverified(logger, source.Name, verification.Reason, suppressed);
            }

            await RespondAsync(context, StatusCodes.Status401Unauthorized, UnverifiedBody);
            return;
        }

        // A provider's URL check gets its response only once it is verified, and is not captured for delivery.
        if (verification.Handshake is { } handshake)
        {
            metrics.RequestsReceived.WithLabels(source.Name, "handshake").Inc();
            Log.Handshake(logger, source.Name);
            await RespondAsync(context, handshake.StatusCode, handshake.ContentType, handshake.Body);
            return;
        }

        // Only verified requests reach deduplication, so a forger cannot mark a delivery id as seen.
        var deduplication = source.Deduplication?.KeyFor(incoming, source.Keys);

        CaptureResult captured;
        var capture = requests.CaptureAsync(source, request.Method, incoming.Path, request.QueryString, request.Headers, body, verification.Reason, deduplication);
        sent(capture);
        try
        {
            captured = await capture.WaitAsync(options.IngestTimeout, clock, context.RequestAborted);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            metrics.RequestsReceived.WithLabels(source.Name, "unavailable").Inc();
            metrics.RedisErrors.WithLabels("ingest").Inc();
            if (_throttle.ShouldLog("unavailable", out var suppressed))
            {
                Log.CaptureFailed(logger, source.Name, suppressed, exception);
            }

            context.Response.Headers.RetryAfter = "5";
            await RespondAsync(context, StatusCodes.Status503ServiceUnavailable, UnavailableBody);
            return;
        }

        if (!captured.IsDuplicate)
        {
            WakeRouters(source);
        }

        // A duplicate gets the same response as the first delivery, with the first request's id, so the provider stops.
        var requestId = captured.RequestId;
        metrics.RequestsReceived.WithLabels(source.Name, captured.IsDuplicate ? "duplicate" : "accepted").Inc();
        context.Response.Headers["X-FastHook-Request-Id"] = requestId;
        context.Response.StatusCode = source.ResponseStatusCode;
        context.Response.ContentType = source.ResponseContentType;
        context.Response.ContentLength = source.ResponseBody.Length;
        await context.Response.Body.WriteAsync(source.ResponseBody, context.RequestAborted);
        metrics.IngestDuration.WithLabels(source.Name).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (captured.IsDuplicate)
        {
            Log.Duplicate(logger, source.Name, requestId);
        }
        else
        {
            Log.Captured(logger, source.Name, requestId);
        }
    }

    /// <summary>
    /// Wakes this process's router of the source, which reads from the same consumer group as every other
    /// process's. A source with an ordered connection is routed by whichever process holds its lock, so that
    /// one is woken through Redis.
    /// </summary>
    private void WakeRouters(SourceRoute source)
    {
        var ordered = false;
        foreach (var connection in source.Connections)
        {
            ordered |= connection.Ordering is not null;
        }

        wake.Notify("source:" + source.Name, everyProcess: ordered);
    }

    private static Task RespondAsync(HttpContext context, int status, byte[] body) =>
        RespondAsync(context, status, "application/json", body);

    private static async Task RespondAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Debug, "Captured request {RequestId} for source {Source}")]
        public static partial void Captured(ILogger logger, string source, string requestId);

        [LoggerMessage(101, LogLevel.Warning, "Rejected a request to source {Source}: verification failed ({Reason}); {Suppressed} more rejections were not logged")]
        public static partial void Unverified(ILogger logger, string source, string reason, long suppressed);

        [LoggerMessage(102, LogLevel.Error, "Could not capture a request for source {Source}, answered 503 so the provider retries; {Suppressed} more failures were not logged")]
        public static partial void CaptureFailed(ILogger logger, string source, long suppressed, Exception exception);

        [LoggerMessage(103, LogLevel.Information, "Answered the provider's URL check for source {Source}; the request was not captured")]
        public static partial void Handshake(ILogger logger, string source);

        [LoggerMessage(104, LogLevel.Debug, "Acknowledged a redelivery of request {RequestId} for source {Source} without capturing it again")]
        public static partial void Duplicate(ILogger logger, string source, string requestId);
    }
}
