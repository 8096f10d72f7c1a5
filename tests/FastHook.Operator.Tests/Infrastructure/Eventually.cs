namespace FastHook.Operator.Tests.Infrastructure;

/// <summary>
/// Polls a condition until it holds, because the operator reconciles asynchronously.
/// </summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, string? description = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        T value = await read();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {(timeout ?? TimeSpan.FromSeconds(20)).TotalSeconds} s waiting for {description ?? "a condition"}; last value: {k8s.KubernetesJson.Serialize(value)}");
            }

            await Task.Delay(100);
            value = await read();
        }

        return value;
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null, string? description = null) =>
        GetAsync(() => Task.FromResult(condition()), done => done, timeout, description);
}
