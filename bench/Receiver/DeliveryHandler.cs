using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;

namespace FastHook.Bench.Receiver;

/// <summary>
/// Handles deliveries and the control endpoints of the benchmark receiver.
/// </summary>
internal sealed class DeliveryHandler(DeliveryStats stats)
{
    /// <summary>
    /// Every benchmark body starts with this prefix followed by 16 digits: the send time in microseconds since the
    /// Unix epoch, written by the load generator.
    /// </summary>
    private static readonly byte[] SendTimePrefix = "{\"sent_us\":\""u8.ToArray();

    private const int SendTimeDigits = 16;

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        switch (path)
        {
            case "/_stats":
                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.Body, stats.Snapshot(), (JsonSerializerOptions?)null, context.RequestAborted);
                return;

            case "/_reset":
                stats.Reset();
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;

            case "/_status":
                await SetAnswerStatusAsync(context);
                return;
        }

        var sendTime = await ReadSendTimeAsync(context.Request.BodyReader, context.RequestAborted);
        var now = DateTimeOffset.UtcNow;
        var latency = sendTime < 0 ? -1 : (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10 - sendTime;

        var status = stats.AnswerStatus;
        var eventId = context.Request.Headers["webhook-id"].ToString();
        stats.Record(status is >= 200 and < 300, eventId.Length == 0 ? null : eventId, latency, now.ToUnixTimeMilliseconds());

        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
    }

    private async Task SetAnswerStatusAsync(HttpContext context)
    {
        var text = context.Request.Query["code"].ToString();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 200 or > 599)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"Invalid code '{text}': pass an HTTP status from 200 to 599, as /_status?code=503.");
            return;
        }

        stats.AnswerStatus = code;
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// Reads the whole body and returns the send time it starts with, in Unix microseconds, or -1 when it has none.
    /// </summary>
    private static async Task<long> ReadSendTimeAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        var sendTime = -1L;
        var parsed = false;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (!parsed && (buffer.Length >= SendTimePrefix.Length + SendTimeDigits || result.IsCompleted))
            {
                sendTime = ParseSendTime(buffer);
                parsed = true;
            }

            if (!parsed)
            {
                // Too short to parse yet: keep the bytes and wait for more.
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
            else
            {
                reader.AdvanceTo(buffer.End);
            }

            if (result.IsCompleted)
            {
                return sendTime;
            }
        }
    }

    private static long ParseSendTime(ReadOnlySequence<byte> buffer)
    {
        var length = SendTimePrefix.Length + SendTimeDigits;
        if (buffer.Length < length)
        {
            return -1;
        }

        Span<byte> head = stackalloc byte[length];
        buffer.Slice(0, length).CopyTo(head);
        if (!head[..SendTimePrefix.Length].SequenceEqual(SendTimePrefix))
        {
            return -1;
        }

        return Utf8Parser.TryParse(head[SendTimePrefix.Length..], out long value, out var consumed) && consumed == SendTimeDigits ? value : -1;
    }
}
