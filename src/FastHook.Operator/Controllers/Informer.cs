using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FastHook.Operator.Controllers;

/// <summary>
/// Keeps a cache of one kind of object in step with the API server: lists, then watches from the list's
/// resourceVersion. A watch that the server ends is resumed from the last resourceVersion seen; one that
/// stays silent past <see cref="InformerOptions.StallTimeout"/> is dropped and resumed the same way; a 410
/// Gone relists. <see cref="Changed"/> is raised only when an object's fingerprint (its generation and the
/// inputs the controller reads) changes, so reconnects and relists do not reconcile unchanged objects again.
/// </summary>
public sealed partial class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan MinWatchLifetime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly InformerSource<T> _source;
    private readonly Func<T, string> _fingerprint;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private int _relists;
    private int _reconnects;

    public Informer(InformerSource<T> source, Func<T, string> fingerprint, InformerOptions options, ILogger logger)
    {
        _source = source;
        _fingerprint = fingerprint;
        _options = options;
        _logger = logger;
    }

    /// <summary>Raised with the cached object before and after a change; after is null when it was deleted.</summary>
    public event Action<T?, T?>? Changed;

    public string Description => _source.Description;

    /// <summary>Completes after the first list is in the cache.</summary>
    public Task Synced => _synced.Task;

    /// <summary>Lists done after the first one, because a watch got 410 Gone.</summary>
    public int Relists => Volatile.Read(ref _relists);

    /// <summary>Watches opened again after the server ended one or it stalled.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    public IReadOnlyList<T> Items => [.. _cache.Values.Select(entry => entry.Object)];

    public T? Get(string ns, string name) => _cache.TryGetValue($"{ns}/{name}", out var entry) ? entry.Object : null;

    public async Task RunAsync(CancellationToken stopping)
    {
        string? resourceVersion = null;
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            if (resourceVersion is null)
            {
                try
                {
                    resourceVersion = await ListAsync(stopping);
                    failures = 0;
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    Log.ListFailed(_logger, Description, exception);
                    await DelayAsync(++failures, stopping);
                    continue;
                }
            }

            var opened = System.Diagnostics.Stopwatch.StartNew();
            var outcome = await WatchAsync(resourceVersion, stopping);

            // A watch that ends at once with nothing new (the API server is down, or refuses the request)
            // counts as a failure, so reconnecting backs off instead of spinning.
            if (outcome.Kind == WatchEnd.Closed && outcome.ResourceVersion is null && opened.Elapsed < MinWatchLifetime)
            {
                outcome = (WatchEnd.Failed, null);
            }

            switch (outcome.Kind)
            {
                case WatchEnd.Expired:
                    Log.Expired(_logger, Description, resourceVersion);
                    resourceVersion = null;
                    Interlocked.Increment(ref _relists);
                    break;
                case WatchEnd.Failed:
                    await DelayAsync(++failures, stopping);
                    break;
                default:
                    failures = 0;
                    break;
            }

            if (outcome.ResourceVersion is not null && outcome.Kind != WatchEnd.Expired)
            {
                resourceVersion = outcome.ResourceVersion;
            }

            if (!stopping.IsCancellationRequested && resourceVersion is not null)
            {
                Interlocked.Increment(ref _reconnects);
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken stopping)
    {
        var (items, resourceVersion) = await _source.ListAsync(stopping);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            seen.Add(KeyOf(item));
            Upsert(item);
        }

        foreach (var key in _cache.Keys.Where(key => !seen.Contains(key)).ToList())
        {
            if (_cache.TryRemove(key, out var removed))
            {
                Changed?.Invoke(removed.Object, null);
            }
        }

        _synced.TrySetResult();
        return resourceVersion;
    }

    private async Task<(WatchEnd Kind, string? ResourceVersion)> WatchAsync(string resourceVersion, CancellationToken stopping)
    {
        var expired = false;
        string? latest = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(_options.StallTimeout);
        try
        {
            var events = _source.WatchAsync(resourceVersion, (int)_options.WatchTimeout.TotalSeconds, error =>
            {
                if (error is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
                {
                    expired = true;
                }
                else
                {
                    Log.WatchError(_logger, Description, error);
                }
            }, deadline.Token);

            await foreach (var (type, item) in events.WithCancellation(deadline.Token))
            {
                deadline.CancelAfter(_options.StallTimeout);
                latest = item.Metadata?.ResourceVersion ?? latest;
                switch (type)
                {
                    case WatchEventType.Added or WatchEventType.Modified:
                        Upsert(item);
                        break;
                    case WatchEventType.Deleted:
                        Remove(item);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            Log.Stalled(_logger, Description, _options.StallTimeout.TotalSeconds);
            return (WatchEnd.Closed, latest);
        }
        catch (OperationCanceledException)
        {
            return (WatchEnd.Closed, latest);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Gone)
        {
            return (WatchEnd.Expired, null);
        }
        catch (KubernetesException exception) when (exception.Status?.Code == (int)HttpStatusCode.Gone)
        {
            return (WatchEnd.Expired, null);
        }
        catch (HttpRequestException)
        {
            // KubernetesClient 21 reads a watch's first line before it returns the stream, so a watch that ends
            // with no event (a quiet timeout or a server-side close) surfaces here: resume as after any close.
            return (WatchEnd.Closed, latest);
        }
        catch (Exception exception) when (exception is HttpOperationException or IOException or System.Text.Json.JsonException)
        {
            Log.WatchFailed(_logger, Description, exception);
            return (WatchEnd.Failed, latest);
        }

        return (expired ? WatchEnd.Expired : WatchEnd.Closed, latest);
    }

    private void Upsert(T item)
    {
        var key = KeyOf(item);
        var fingerprint = _fingerprint(item);
        var previous = _cache.TryGetValue(key, out var old) ? old : null;
        _cache[key] = new Entry(item, fingerprint);
        if (previous is null || previous.Fingerprint != fingerprint)
        {
            Changed?.Invoke(previous?.Object, item);
        }
    }

    private void Remove(T item)
    {
        if (_cache.TryRemove(KeyOf(item), out var removed))
        {
            Changed?.Invoke(removed.Object, null);
        }
    }

    private async Task DelayAsync(int failures, CancellationToken stopping)
    {
        var delay = TimeSpan.FromMilliseconds(Math.Min(_options.RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 10)), 30_000));
        try
        {
            await Task.Delay(delay, stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string KeyOf(T item) => $"{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";

    private sealed record Entry(T Object, string Fingerprint);

    private enum WatchEnd
    {
        Closed,
        Expired,
        Failed,
    }

    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Warning, "Listing {Informer} failed; retrying")]
        public static partial void ListFailed(ILogger logger, string informer, Exception exception);

        [LoggerMessage(102, LogLevel.Information, "Watch of {Informer} from resourceVersion {ResourceVersion} expired (410 Gone); relisting")]
        public static partial void Expired(ILogger logger, string informer, string resourceVersion);

        [LoggerMessage(103, LogLevel.Warning, "Watch of {Informer} sent no event for {Seconds} s; reconnecting")]
        public static partial void Stalled(ILogger logger, string informer, double seconds);

        [LoggerMessage(104, LogLevel.Warning, "Watch of {Informer} failed; reconnecting")]
        public static partial void WatchFailed(ILogger logger, string informer, Exception exception);

        [LoggerMessage(105, LogLevel.Warning, "Watch of {Informer} reported an error")]
        public static partial void WatchError(ILogger logger, string informer, Exception exception);
    }
}

/// <summary>
/// Timings of an <see cref="Informer{T}"/>.
/// </summary>
public sealed class InformerOptions
{
    /// <summary>The timeoutSeconds sent with each watch; the server ends the watch after it.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a watch may stay silent before it is dropped. Bookmarks count as traffic, so with bookmarks on
    /// only a stalled connection stays silent this long; it must exceed <see cref="WatchTimeout"/>.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(6);

    /// <summary>The first delay after a failed list or watch; doubled per failure up to 30 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// How an <see cref="Informer{T}"/> lists and watches its objects.
/// </summary>
public sealed class InformerSource<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public required string Description { get; init; }

    public required Func<CancellationToken, Task<(IReadOnlyList<T> Items, string ResourceVersion)>> ListAsync { get; init; }

    /// <summary>Opens a watch from a resourceVersion with a timeoutSeconds and an error callback.</summary>
    public required Func<string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> WatchAsync { get; init; }
}

/// <summary>
/// The state of an informer of any kind.
/// </summary>
public interface IInformer
{
    string Description { get; }

    Task Synced { get; }

    int Relists { get; }

    int Reconnects { get; }

    Task RunAsync(CancellationToken stopping);
}
