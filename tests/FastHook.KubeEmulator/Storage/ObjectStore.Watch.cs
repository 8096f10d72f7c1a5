using System.Globalization;
using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Http;
using FastHook.KubeEmulator.Selectors;

namespace FastHook.KubeEmulator.Storage;

/// <summary>
/// Opening watches, bookmarks, and the test hooks that close, stall or expire them.
/// </summary>
internal sealed partial class ObjectStore
{
    /// <summary>
    /// Registers a watch and returns the lines to send first: the current objects as ADDED when no
    /// resourceVersion (or "0") is given, otherwise the retained changes after it. A resourceVersion older
    /// than the history returns no subscription and a single ERROR line with a 410 Expired Status.
    /// </summary>
    public (WatchSubscription? Subscription, List<WatchLine> Initial) OpenWatch(
        ResourceScope scope, LabelSelector labels, FieldSelector fields, string? resourceVersion)
    {
        var type = scope.Type;
        long? since = null;
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != "0")
        {
            if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                throw ApiErrors.BadRequest($"resourceVersion \"{resourceVersion}\" is not a resourceVersion this server issued; list again to get one");
            }

            since = parsed;
        }

        lock (_lock)
        {
            if (since is { } tooOld && tooOld < _history.CompactedRevision)
            {
                var expired = StatusObjects.Failure(410, "Expired",
                    $"too old resource version: {tooOld} (the oldest this server can resume from is {_history.CompactedRevision}); list again and watch from the list's resourceVersion",
                    null);
                return (null, [new WatchLine("ERROR", expired.ToJsonString())]);
            }

            var subscription = new WatchSubscription(TypeKey(type), scope.Namespace, labels, fields);
            var initial = since is { } revision
                ? _history.Since(revision).Where(e => e.TypeKey == subscription.TypeKey).Select(subscription.Filter).OfType<WatchLine>().ToList()
                : Bucket(type).Values.Where(subscription.Matches)
                    .Select(obj => new WatchLine("ADDED", Present(type, type.StorageVersion, obj).ToJsonString()))
                    .ToList();

            _watches.Add(subscription);
            return (subscription, initial);
        }
    }

    /// <summary>
    /// Builds a BOOKMARK line at the current revision, or returns null while the watch still has queued lines,
    /// so a bookmark never claims a revision whose changes the client has not received.
    /// </summary>
    public WatchLine? Bookmark(WatchSubscription subscription, ResourceScope scope)
    {
        lock (_lock)
        {
            if (subscription.Lines.Reader.Count > 0)
            {
                return null;
            }

            var bookmark = new JsonObject
            {
                ["kind"] = scope.Type.Kind,
                ["apiVersion"] = scope.Type.ApiVersion(scope.Type.StorageVersion),
                ["metadata"] = new JsonObject { ["resourceVersion"] = Revision(_revision) },
            };
            return new WatchLine("BOOKMARK", bookmark.ToJsonString());
        }
    }

    public void EndWatch(WatchSubscription subscription)
    {
        lock (_lock)
        {
            _watches.Remove(subscription);
        }
    }

    public int OpenWatchCount
    {
        get
        {
            lock (_lock)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>Ends every open watch stream normally, as when the API server's watch timeout fires.</summary>
    public void CloseAllWatches()
    {
        lock (_lock)
        {
            foreach (var watch in _watches)
            {
                watch.Close();
            }

            _watches.Clear();
        }
    }

    /// <summary>Makes every open watch go silent while its connection stays open; watches opened later work normally.</summary>
    public void StallAllWatches()
    {
        lock (_lock)
        {
            foreach (var watch in _watches)
            {
                watch.Stalled = true;
            }
        }
    }

    /// <summary>Forgets the change history, so a watch from any resourceVersion before now gets 410 Expired.</summary>
    public void CompactHistory()
    {
        lock (_lock)
        {
            _history.Compact(_revision);
        }
    }
}
