namespace FastHook.KubeEmulator.Tests.Infrastructure;

/// <summary>
/// Polls a condition that becomes true asynchronously, failing with a message after a deadline.
/// </summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string description, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {description}.");
            }

            await Task.Delay(10);
        }
    }
}
