using System.Globalization;
using StackExchange.Redis;

namespace FastHook.Gateway.Storage;

/// <summary>
/// One entry of a connection's events stream: an event waiting for its next attempt.
/// </summary>
public sealed record EventEntry(string EntryId, string EventId, string RequestId, string Source, int Attempt, long ReceivedAtMs)
{
    /// <summary>
    /// Parses a stream entry; returns null when Redis returned the id without fields, which means the entry
    /// was deleted or trimmed while it was pending.
    /// </summary>
    public static EventEntry? Parse(StreamEntry entry)
    {
        if (entry.IsNull || entry.Values is null || entry.Values.Length == 0)
        {
            return null;
        }

        string? eventId = null;
        string? requestId = null;
        var source = "";
        var attempt = 1;
        long receivedAt = 0;
        foreach (var field in entry.Values)
        {
            switch ((string?)field.Name)
            {
                case "e":
                    eventId = field.Value.ToString();
                    break;
                case "r":
                    requestId = field.Value.ToString();
                    break;
                case "s":
                    source = field.Value.ToString();
                    break;
                case "n":
                    attempt = int.Parse(field.Value.ToString(), CultureInfo.InvariantCulture);
                    break;
                case "t":
                    receivedAt = long.Parse(field.Value.ToString(), CultureInfo.InvariantCulture);
                    break;
            }
        }

        return eventId is null || requestId is null ? null : new EventEntry(entry.Id.ToString(), eventId, requestId, source, attempt, receivedAt);
    }

    /// <summary>The member this event takes in the scheduled set for attempt <paramref name="nextAttempt"/>.</summary>
    public string ScheduledMember(int nextAttempt) =>
        string.Create(CultureInfo.InvariantCulture, $"{EventId}|{RequestId}|{nextAttempt}|{ReceivedAtMs}|{Source}");
}
