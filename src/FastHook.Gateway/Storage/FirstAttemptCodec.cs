using System.Buffers;
using System.Text.Json;
using StackExchange.Redis;

namespace FastHook.Gateway.Storage;

/// <summary>
/// The compact form of an event's first attempt when it succeeded, kept in the event's hash instead of an
/// attempt list, because most events are delivered at once and a list costs several hundred bytes of Redis
/// memory each. The form is a JSON array without property names:
/// [attempt, started-at Unix ms, duration ms, status, consumer, response excerpt].
/// </summary>
public static class FirstAttemptCodec
{
    public static byte[] Encode(AttemptRecord attempt)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(attempt.Attempt);
            writer.WriteNumberValue(attempt.StartedAt.ToUnixTimeMilliseconds());
            writer.WriteNumberValue(attempt.DurationMs);
            writer.WriteNumberValue(attempt.Status ?? 0);
            writer.WriteStringValue(attempt.Consumer);
            writer.WriteStringValue(attempt.ResponseExcerpt);
            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns the attempt stored in <paramref name="stored"/>, or null when the field is absent.</summary>
    public static AttemptRecord? Decode(RedisValue stored)
    {
        if (stored.IsNullOrEmpty)
        {
            return null;
        }

        using var document = JsonDocument.Parse((ReadOnlyMemory<byte>)stored);
        var fields = document.RootElement;
        var status = fields[3].GetInt32();
        return new AttemptRecord
        {
            Attempt = fields[0].GetInt32(),
            StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(fields[1].GetInt64()),
            DurationMs = fields[2].GetDouble(),
            Status = status == 0 ? null : status,
            Outcome = Delivery.DeliveryOutcome.Success,
            Consumer = fields[4].GetString(),
            ResponseExcerpt = fields[5].GetString(),
        };
    }
}
