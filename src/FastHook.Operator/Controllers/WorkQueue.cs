namespace FastHook.Operator.Controllers;

/// <summary>
/// A work queue of keys with deduplication and per-key exponential backoff. A key waits in the queue at most
/// once. A key being processed is not handed out again until <see cref="Done"/>, and one added meanwhile is
/// queued again then, so no change is lost and no key is reconciled twice at once.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly object _lock = new();
    private readonly LinkedList<string> _ready = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CancellationTokenSource> _delayed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _available = new(0);
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private bool _shutDown;

    public WorkQueue(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
    }

    /// <summary>Keys waiting in the queue, not counting delayed or processing ones.</summary>
    public int Depth
    {
        get
        {
            lock (_lock)
            {
                return _ready.Count;
            }
        }
    }

    public void Add(string key)
    {
        lock (_lock)
        {
            if (_shutDown)
            {
                return;
            }

            if (_delayed.Remove(key, out var timer))
            {
                timer.Cancel();
                timer.Dispose();
            }

            if (_processing.Contains(key))
            {
                _dirty.Add(key);
                return;
            }

            if (_queued.Add(key))
            {
                _ready.AddLast(key);
                _available.Release();
            }
        }
    }

    /// <summary>Adds <paramref name="key"/> after <paramref name="delay"/>, unless an earlier add is already due sooner.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        CancellationTokenSource timer;
        lock (_lock)
        {
            if (_shutDown || _queued.Contains(key) || _delayed.ContainsKey(key))
            {
                // NOTE: a pending delayed add is kept even when this one is due sooner. Callers use one
                // requeue interval per key, so the extra wait stays below that interval.
                return;
            }

            timer = new CancellationTokenSource();
            _delayed[key] = timer;
        }

        _ = Task.Delay(delay, timer.Token).ContinueWith(
            task =>
            {
                if (task.IsCanceled)
                {
                    return;
                }

                lock (_lock)
                {
                    if (!_delayed.TryGetValue(key, out var current) || current != timer)
                    {
                        return;
                    }

                    _delayed.Remove(key);
                    timer.Dispose();
                }

                Add(key);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Adds <paramref name="key"/> after its backoff: base delay doubled per failure since the last <see cref="Forget"/>, capped.</summary>
    public TimeSpan AddRateLimited(string key)
    {
        int failures;
        lock (_lock)
        {
            failures = _failures.GetValueOrDefault(key);
            _failures[key] = failures + 1;
        }

        // The exponent is capped before the multiplication, so a key failing for days cannot overflow.
        var factor = Math.Pow(2, Math.Min(failures, 30));
        var delay = TimeSpan.FromMilliseconds(Math.Min(_baseDelay.TotalMilliseconds * factor, _maxDelay.TotalMilliseconds));
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears the backoff of <paramref name="key"/> after a successful reconcile.</summary>
    public void Forget(string key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>Waits for the next key; returns null when the queue is shut down.</summary>
    public async Task<string?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken);
            lock (_lock)
            {
                if (_shutDown)
                {
                    return null;
                }

                if (_ready.First is not { } first)
                {
                    continue;
                }

                _ready.RemoveFirst();
                _queued.Remove(first.Value);
                _processing.Add(first.Value);
                return first.Value;
            }
        }
    }

    /// <summary>Marks <paramref name="key"/> processed, queueing it again when it was added meanwhile.</summary>
    public void Done(string key)
    {
        bool again;
        lock (_lock)
        {
            _processing.Remove(key);
            again = _dirty.Remove(key);
        }

        if (again)
        {
            Add(key);
        }
    }

    /// <summary>Stops handing out keys; waiting takers get null.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            _shutDown = true;
            foreach (var timer in _delayed.Values)
            {
                timer.Cancel();
            }

            _available.Release(1000);
        }
    }

    public void Dispose()
    {
        ShutDown();
        _available.Dispose();
    }
}
