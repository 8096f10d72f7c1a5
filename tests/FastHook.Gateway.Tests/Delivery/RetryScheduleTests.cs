using FastHook.Gateway.DeadLetter;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Delivery;

public sealed class RetryScheduleTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task FailingTwice_IsDeliveredOnAttemptThreeWithTheSchedule()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (n, _) => Task.FromResult(new TestResponse(n <= 2 ? 500 : 200));
        var retry = "{strategy: exponential, maxAttempts: 5, initialDelay: 300ms, maxDelay: 5s}";
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url, retry));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{\"n\":1}", TestManifests.GitHubSecret);
        var received = await receiver.WaitForAsync(3, Wait);
        var eventId = received[0].Header("webhook-id");
        var stored = await gateway.WaitForStateAsync(eventId, EventStates.Delivered, Wait);

        Assert.Equal(["1", "2", "3"], received.Select(request => request.Header("X-FastHook-Attempt")));
        Assert.All(received, request => Assert.Equal(eventId, request.Header("webhook-id")));
        Assert.Equal(3, stored.Attempts);

        // Exponential with up to 20% jitter removed: 240-300 ms, then 480-600 ms. The upper bounds allow a second of
        // scheduling slack on a loaded machine; the lower bounds are the schedule itself.
        var firstGap = received[1].At - received[0].At;
        var secondGap = received[2].At - received[1].At;
        Assert.InRange(firstGap.TotalMilliseconds, 230, 1300);
        Assert.InRange(secondGap.TotalMilliseconds, 470, 1600);
    }

    [Fact]
    public async Task AlwaysFailing_IsDeadLetteredAfterExactlyMaxAttempts()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(new TestResponse(503, Body: "down for maintenance"));
        var retry = "{strategy: linear, maxAttempts: 4, initialDelay: 100ms, maxDelay: 1s}";
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url, retry));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var received = await receiver.WaitForAsync(4, Wait);
        var eventId = received[0].Header("webhook-id");
        var stored = await gateway.WaitForStateAsync(eventId, EventStates.DeadLettered, Wait);
        await Task.Delay(700);

        Assert.Equal(4, receiver.Received.Count);
        Assert.Equal(4, stored.Attempts);
        Assert.Equal(DeadLetterReasons.Exhausted, stored.DeadLetterReason);
        var deadLetter = Assert.Single(await gateway.DeadLettersAsync());
        Assert.Equal(eventId, deadLetter.EventId);
        Assert.Equal(503, deadLetter.LastStatus);
        var attempts = await gateway.AttemptsAsync(eventId);
        Assert.Equal([1, 2, 3, 4], attempts.Select(attempt => attempt.Attempt));
        Assert.Equal("down for maintenance", attempts[^1].ResponseExcerpt);
    }

    [Fact]
    public async Task LinearSchedule_AddsTheInitialDelayEachTime()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (n, _) => Task.FromResult(new TestResponse(n <= 3 ? 500 : 200));
        var retry = "{strategy: linear, maxAttempts: 5, initialDelay: 250ms, maxDelay: 5s}";
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url, retry));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var received = await receiver.WaitForAsync(4, Wait);

        Assert.InRange((received[1].At - received[0].At).TotalMilliseconds, 240, 1250);
        Assert.InRange((received[2].At - received[1].At).TotalMilliseconds, 490, 1500);
        Assert.InRange((received[3].At - received[2].At).TotalMilliseconds, 740, 1750);
    }

    [Fact]
    public async Task ClientError_IsDeadLetteredAtOnce()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(new TestResponse(400, Body: "{\"error\":\"bad payload\"}"));
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var eventId = (await receiver.WaitForAsync(1, Wait))[0].Header("webhook-id");
        var stored = await gateway.WaitForStateAsync(eventId, EventStates.DeadLettered, Wait);
        await Task.Delay(500);

        Assert.Single(receiver.Received);
        Assert.Equal(1, stored.Attempts);
        Assert.Equal("clientError", stored.DeadLetterReason);
        Assert.Equal(400, stored.LastStatus);
    }

    [Fact]
    public async Task RetryAfter_IsHonoured()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (n, _) => Task.FromResult(n == 1
            ? new TestResponse(429, new Dictionary<string, string> { ["Retry-After"] = "1" })
            : new TestResponse(200));
        var retry = "{strategy: exponential, maxAttempts: 3, initialDelay: 50ms, maxDelay: 100ms, maxRetryAfter: 10s}";
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url, retry));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var received = await receiver.WaitForAsync(2, Wait);

        Assert.InRange((received[1].At - received[0].At).TotalMilliseconds, 990, 2500);
    }

    [Fact]
    public async Task RetryAfterOfDays_IsCappedAtMaxRetryAfter()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (n, _) => Task.FromResult(n == 1
            ? new TestResponse(503, new Dictionary<string, string> { ["Retry-After"] = "864000" })
            : new TestResponse(200));
        var retry = "{strategy: exponential, maxAttempts: 3, initialDelay: 50ms, maxDelay: 100ms, maxRetryAfter: 400ms}";
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url, retry));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var received = await receiver.WaitForAsync(2, Wait);

        Assert.InRange((received[1].At - received[0].At).TotalMilliseconds, 390, 1900);
    }

    [Fact]
    public async Task SlowDestination_TimesOutAndIsRetried()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = async (n, _) =>
        {
            if (n == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }

            return new TestResponse(200);
        };
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var eventId = (await receiver.WaitForAsync(2, Wait))[0].Header("webhook-id");
        await gateway.WaitForStateAsync(eventId, EventStates.Delivered, Wait);
        var attempts = await gateway.AttemptsAsync(eventId);

        Assert.Equal("timeout", attempts[0].Outcome);
        Assert.Null(attempts[0].Status);
        Assert.Equal("success", attempts[1].Outcome);
    }

    [Fact]
    public async Task UnreachableDestination_IsRetriedAsNetworkAndDeadLettered()
    {
        var closedPort = RedisServer.FreePort();
        var retry = "{strategy: linear, maxAttempts: 2, initialDelay: 50ms, maxDelay: 1s}";
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver($"http://127.0.0.1:{closedPort}", retry));

        using var response = await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var stored = await Eventually.WaitAsync(() => gateway.EventsAsync(EventStates.DeadLettered), events => events.Count == 1, Wait, "a dead letter");
        var attempts = await gateway.AttemptsAsync(stored[0].Id);

        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, attempt => Assert.Equal("network", attempt.Outcome));
        Assert.Equal(DeadLetterReasons.Exhausted, stored[0].DeadLetterReason);
    }
}
