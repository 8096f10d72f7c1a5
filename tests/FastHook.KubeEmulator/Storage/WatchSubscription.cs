using System.Text.Json.Nodes;
using System.Threading.Channels;
using FastHook.KubeEmulator.Selectors;

namespace FastHook.KubeEmulator.Storage;

/// <summary>
/// One open watch: its filter, the queue of lines not yet written and the signals that end or stall it.
/// </summary>
internal sealed class WatchSubscription(string typeKey, string? namespaceName, LabelSelector labels, FieldSelector fields) : IDisposable
{
    private readonly CancellationTokenSource _closed = new();

    public string TypeKey { get; } = typeKey;

    /// <summary>The lines not yet written. The channel is multi-reader because only that kind can count its items, which bookmarks need.</summary>
    public Channel<WatchLine> Lines { get; } = Channel.CreateUnbounded<WatchLine>();

    /// <summary>Cancelled when the emulator closes the watch, which then ends as after a server timeout.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Set by the stall hook: the stream stays open and sends nothing more, not even bookmarks.</summary>
    public bool Stalled { get; set; }

    public void Close() => _closed.Cancel();

    public bool Matches(JsonObject obj) =>
        (namespaceName is null || Metadata.Namespace(obj) == namespaceName) &&
        labels.Matches(Metadata.Labels(obj)) &&
        fields.Matches(obj);

    /// <summary>Converts a change into the line this watch sends, if any. An object that starts or stops matching the selectors is sent as ADDED or DELETED.</summary>
    public WatchLine? Filter(WatchEvent change)
    {
        var matchesNow = Matches(change.Object);
        var matchedBefore = change.Previous is not null && Matches(change.Previous);
        var type = change.Type switch
        {
            "ADDED" when matchesNow => "ADDED",
            "DELETED" when matchesNow => "DELETED",
            "MODIFIED" when matchesNow && matchedBefore => "MODIFIED",
            "MODIFIED" when matchesNow => "ADDED",
            "MODIFIED" when matchedBefore => "DELETED",
            _ => null,
        };
        return type is null ? null : new WatchLine(type, change.ObjectJson);
    }

    public void Dispose() => _closed.Dispose();
}
