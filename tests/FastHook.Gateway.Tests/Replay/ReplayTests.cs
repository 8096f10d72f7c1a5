using System.Net;
using System.Net.Http.Json;
using FastHook.Gateway.Replay;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Replay;

public sealed class ReplayTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private const string Replays = $"/api/v1/connections/{TestManifests.Connection}/replays";

    [Fact]
    public async Task DeadLetters_AreDeliveredWithTheirEventIdsAfterRecovery()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var healthy = false;
        receiver.Respond = (_, _) => Task.FromResult(new TestResponse(Volatile.Read(ref healthy) ? 200 : 500));
        var retry = "{strategy: linear, maxAttempts: 2, initialDelay: 50ms, maxDelay: 1s}";
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url, retry));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{\"n\":1}", TestManifests.GitHubSecret);
        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{\"n\":2}", TestManifests.GitHubSecret);
        var deadLettered = await Eventually.WaitAsync(() => gateway.EventsAsync(EventStates.DeadLettered), events => events.Count == 2, Wait, "two dead letters");
        Volatile.Write(ref healthy, true);
        var failedIds = deadLettered.Select(stored => stored.Id).Order(StringComparer.Ordinal).ToList();

        using var created = await gateway.Admin.PostAsJsonAsync(Replays, new { name = "after-outage", state = "deadLettered" });
        var record = await WaitForReplayAsync(gateway, "after-outage");
        var received = await receiver.WaitForAsync(6, Wait);
        var replayedIds = received.Skip(4).Select(request => request.Header("webhook-id")).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        Assert.Equal(2, record.Matched);
        Assert.Equal(2, record.Enqueued);
        Assert.Equal(failedIds, replayedIds);
        foreach (var id in failedIds)
        {
            var stored = await gateway.WaitForStateAsync(id, EventStates.Delivered, Wait);
            Assert.Equal(1, stored.Replays);
        }
    }

    [Fact]
    public async Task SameReplayName_DoesNotRunTwice()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (n, _) => Task.FromResult(new TestResponse(n == 1 ? 400 : 200));
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        await Eventually.WaitAsync(() => gateway.EventsAsync(EventStates.DeadLettered), events => events.Count == 1, Wait, "a dead letter");
        using var first = await gateway.Admin.PostAsJsonAsync(Replays, new { name = "once", state = "deadLettered" });
        await WaitForReplayAsync(gateway, "once");
        await receiver.WaitForAsync(2, Wait);

        using var second = await gateway.Admin.PostAsJsonAsync(Replays, new { name = "once", state = "all" });
        var repeated = await second.Content.ReadFromJsonAsync<ReplayRecord>();
        await Task.Delay(1000);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("deadLettered", repeated!.State);
        Assert.Equal(1, repeated.Enqueued);
        Assert.Equal(2, receiver.Received.Count);
    }

    [Fact]
    public async Task ReplayOfReplayedEvent_StillDelivers()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var eventId = (await receiver.WaitForAsync(1, Wait))[0].Header("webhook-id");
        await gateway.WaitForStateAsync(eventId, EventStates.Delivered, Wait);
        using var firstReplay = await gateway.Admin.PostAsJsonAsync(Replays, new { name = "first", state = "all" });
        await WaitForReplayAsync(gateway, "first");
        await receiver.WaitForAsync(2, Wait);
        await gateway.WaitForStateAsync(eventId, EventStates.Delivered, Wait);
        using var secondReplay = await gateway.Admin.PostAsJsonAsync(Replays, new { name = "second", state = "all" });
        await WaitForReplayAsync(gateway, "second");
        var received = await receiver.WaitForAsync(3, Wait);

        Assert.All(received, request => Assert.Equal(eventId, request.Header("webhook-id")));
        Assert.Equal(2, (await gateway.WaitForStateAsync(eventId, EventStates.Delivered, Wait)).Replays);
    }

    [Fact]
    public async Task TimeRange_SelectsOnlyEventsReceivedInIt()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{\"n\":\"old\"}", TestManifests.GitHubSecret);
        await receiver.WaitForAsync(1, Wait);
        await Task.Delay(50);
        var from = DateTimeOffset.UtcNow;
        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{\"n\":\"new\"}", TestManifests.GitHubSecret);
        await receiver.WaitForAsync(2, Wait);
        await Eventually.WaitAsync(() => gateway.EventsAsync(EventStates.Delivered), events => events.Count == 2, Wait, "two deliveries");

        using var created = await gateway.Admin.PostAsJsonAsync(Replays, new { name = "recent", state = "all", from });
        var record = await WaitForReplayAsync(gateway, "recent");
        var received = await receiver.WaitForAsync(3, Wait);

        Assert.Equal(1, record.Matched);
        Assert.Equal("{\"n\":\"new\"}", System.Text.Encoding.UTF8.GetString(received[2].Body));
    }

    [Fact]
    public async Task RetryOfOneEvent_DeliversItAgain()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (n, _) => Task.FromResult(new TestResponse(n == 1 ? 422 : 200));
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var eventId = (await receiver.WaitForAsync(1, Wait))[0].Header("webhook-id");
        await gateway.WaitForStateAsync(eventId, EventStates.DeadLettered, Wait);
        using var retried = await gateway.Admin.PostAsync($"/api/v1/connections/{TestManifests.Connection}/events/{eventId}/retry", null);
        var received = await receiver.WaitForAsync(2, Wait);
        using var missing = await gateway.Admin.PostAsync($"/api/v1/connections/{TestManifests.Connection}/events/evt_000000000000000000000000/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal(eventId, received[1].Header("webhook-id"));
        Assert.Equal(EventStates.Delivered, (await gateway.WaitForStateAsync(eventId, EventStates.Delivered, Wait)).State);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task InvalidReplayRequest_Gets400NamingTheField()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        using var badState = await gateway.Admin.PostAsJsonAsync(Replays, new { name = "x", state = "everything" });
        using var badName = await gateway.Admin.PostAsJsonAsync(Replays, new { name = "Not Valid", state = "all" });

        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
        Assert.Contains("state", await badState.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Contains("name", await badName.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<ReplayRecord> WaitForReplayAsync(GatewayHarness gateway, string name) =>
        Eventually.WaitAsync(
            async () => (await gateway.Admin.GetFromJsonAsync<ReplayRecord>($"{Replays}/{name}"))!,
            record => record.Phase == ReplayValues.Succeeded,
            Wait,
            $"replay {name} to succeed");
}
