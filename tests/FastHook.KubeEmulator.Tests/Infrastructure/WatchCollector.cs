using System.Threading.Channels;
using k8s;

namespace FastHook.KubeEmulator.Tests.Infrastructure;

/// <summary>
/// Reads a client watch in the background so a test can take its events one at a time with a deadline,
/// and see the errors it reported and whether the stream ended.
/// </summary>
public sealed class WatchCollector<T> : IAsyncDisposable
{
    private readonly Channel<(WatchEventType Type, T Object)> _events = Channel.CreateUnbounded<(WatchEventType, T)>();
    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<Exception> _errors = [];
    private Task _reader = Task.CompletedTask;

    public CancellationToken Cancellation => _cancellation.Token;

    public IReadOnlyList<Exception> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Completes when the server ends the stream.</summary>
    public Task Ended => _reader;

    public void OnError(Exception error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }

    public void Start(IAsyncEnumerable<(WatchEventType, T)> events) => _reader = Task.Run(async () =>
    {
        try
        {
            await foreach (var item in events.WithCancellation(_cancellation.Token))
            {
                await _events.Writer.WriteAsync(item);
            }
        }
        catch (OperationCanceledException)
        {
            // The test cancelled the watch.
        }
        catch (Exception e)
        {
            // The client throws, for example, when a stream ends before its first line.
            OnError(e);
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    });

    /// <summary>Returns the next event, skipping bookmarks unless requested. Fails after five seconds.</summary>
    public async Task<(WatchEventType Type, T Object)> NextAsync(bool includeBookmarks = false)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (true)
        {
            var item = await _events.Reader.ReadAsync(timeout.Token);
            if (includeBookmarks || item.Item1 != WatchEventType.Bookmark)
            {
                return item;
            }
        }
    }

    /// <summary>Returns whether any non-bookmark event arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> ReceivesAnyWithinAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            while (true)
            {
                var item = await _events.Reader.ReadAsync(timeout.Token);
                if (item.Item1 != WatchEventType.Bookmark)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cancellation.CancelAsync();
        await _reader;
        _cancellation.Dispose();
    }
}
