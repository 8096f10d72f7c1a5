namespace FastHook.KubeEmulator.Storage;

/// <summary>
/// The most recent committed changes, up to a fixed count, like the API server's watch cache. A watch from a
/// resourceVersion older than the oldest kept change gets 410 Expired.
/// </summary>
internal sealed class EventHistory(int capacity)
{
    private readonly Queue<WatchEvent> _events = new();

    /// <summary>The newest revision no longer covered. A watch can resume from this revision or any later one.</summary>
    public long CompactedRevision { get; private set; }

    public IEnumerable<WatchEvent> Since(long revision) => _events.Where(e => e.Revision > revision);

    public void Add(WatchEvent change)
    {
        _events.Enqueue(change);
        while (_events.Count > capacity)
        {
            CompactedRevision = _events.Dequeue().Revision;
        }
    }

    /// <summary>Forgets every change up to <paramref name="revision"/>, as an etcd compaction does.</summary>
    public void Compact(long revision)
    {
        while (_events.Count > 0 && _events.Peek().Revision <= revision)
        {
            _events.Dequeue();
        }

        CompactedRevision = Math.Max(CompactedRevision, revision);
    }
}
