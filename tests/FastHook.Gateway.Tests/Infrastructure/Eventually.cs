namespace FastHook.Gateway.Tests.Infrastructure;

/// <summary>
/// Polls a condition that becomes true asynchronously, failing with the last observed value after a timeout.
/// </summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T value;
        while (true)
        {
            value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds}s waiting for {what}; last value: {value}");
            }

            await Task.Delay(50);
        }
    }
}
