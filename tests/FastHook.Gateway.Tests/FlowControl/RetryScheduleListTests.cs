using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.FlowControl;

public sealed class RetryScheduleListTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task ExplicitSchedule_UsesEachDelayInOrder()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (n, _) => Task.FromResult(new TestResponse(n <= 3 ? 500 : 200));
        var retry = "{strategy: schedule, schedule: [200ms, 700ms], maxAttempts: 5}";
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url, retry));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var received = await receiver.WaitForAsync(4, TimeSpan.FromSeconds(15));

        Assert.InRange((received[1].At - received[0].At).TotalMilliseconds, 190, 1200);
        Assert.InRange((received[2].At - received[1].At).TotalMilliseconds, 690, 1700);
        Assert.InRange((received[3].At - received[2].At).TotalMilliseconds, 690, 1700);
    }
}
