using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.FlowControl;

public sealed class CircuitBreakerTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Circuit_OpensAfterFailuresProbesOnceAndCloses()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (n, _) => Task.FromResult(new TestResponse(n <= 3 ? 503 : 200));
        var manifests = TestManifests.GitHubToReceiver(
            receiver.Url,
            retry: "{strategy: linear, maxAttempts: 10, initialDelay: 50ms, maxDelay: 50ms}",
            destinationExtra: "maxConcurrency: 1\ncircuitBreaker: {failureThreshold: 2, coolDown: 1s}");
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, manifests);

        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.PostGitHubAsync(TestManifests.SourcePath, $"{{\"n\":{i}}}", TestManifests.GitHubSecret);
        }

        var received = await receiver.WaitForAsync(6, TimeSpan.FromSeconds(20));
        var delivered = await Eventually.WaitAsync(() => gateway.EventsAsync(EventStates.Delivered), events => events.Count == 3, TimeSpan.FromSeconds(10), "three deliveries");
        var series = "fasthook_destination_circuit_opened_total{destination=\"default/receiver\"}";

        // Failures 1 and 2 open the circuit; the third request is the probe after the cool-down, and it fails,
        // so the fourth is the next probe after another cool-down. It succeeds and the rest follow at once.
        Assert.True(received[2].At - received[1].At >= TimeSpan.FromMilliseconds(950), $"probe came {(received[2].At - received[1].At).TotalMilliseconds} ms after the circuit opened");
        Assert.True(received[3].At - received[2].At >= TimeSpan.FromMilliseconds(950), $"second probe came {(received[3].At - received[2].At).TotalMilliseconds} ms after the first");
        Assert.True(received[5].At - received[3].At < TimeSpan.FromMilliseconds(900), "deliveries did not resume after the successful probe");
        Assert.Equal(2, await gateway.MetricAsync(series));
        Assert.Equal(6, delivered.Sum(stored => stored.Attempts));
    }
}
