namespace FastHook.Bench.Orchestration;

/// <summary>
/// Samples the resident memory of a system's processes every 250 ms while a measurement runs and keeps the maximum.
/// </summary>
internal sealed class ResourceSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _maxResidentBytes;

    public ResourceSampler(WebhookSystem system)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var resident = system.ResidentBytes();
                if (resident > Interlocked.Read(ref _maxResidentBytes))
                {
                    Interlocked.Exchange(ref _maxResidentBytes, resident);
                }

                try
                {
                    await Task.Delay(250, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public long MaxResidentBytes => Interlocked.Read(ref _maxResidentBytes);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
