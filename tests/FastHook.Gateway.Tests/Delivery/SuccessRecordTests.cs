using FastHook.Gateway.Configuration;
using FastHook.Gateway.Delivery;
using FastHook.Gateway.Metrics;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace FastHook.Gateway.Tests.Delivery;

public sealed class SuccessRecordTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task FirstAttemptSuccess_StoresNoAttemptList()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(new TestResponse(202, Body: "{\"queued\":true}"));
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));
        await using var connection = await redis.Server.ConnectAsync();
        var keys = new RedisKeys(gateway.Options.KeyPrefix).Connection(TestManifests.Connection);

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{\"n\":1}", TestManifests.GitHubSecret);
        var eventId = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0].Header("webhook-id");
        var stored = await gateway.WaitForStateAsync(eventId, "delivered", TimeSpan.FromSeconds(10));
        var attempts = await gateway.AttemptsAsync(eventId);

        Assert.False(await connection.GetDatabase().KeyExistsAsync(keys.Attempts(eventId)));
        var attempt = Assert.Single(attempts);
        Assert.Equal(1, attempt.Attempt);
        Assert.Equal(202, attempt.Status);
        Assert.Equal(DeliveryOutcome.Success, attempt.Outcome);
        Assert.Equal("{\"queued\":true}", attempt.ResponseExcerpt);
        Assert.False(string.IsNullOrEmpty(attempt.Consumer));
        Assert.Equal(1, stored.Attempts);
        Assert.Null(stored.LastError);
        Assert.NotNull(stored.LastAttemptAt);
        Assert.Equal(stored.DeliveredAt, stored.LastAttemptAt);
        Assert.False(await connection.GetDatabase().HashExistsAsync(keys.Event(eventId), "lastAttemptAt"));
    }

    [Fact]
    public async Task RetriedEvent_ListsFirstAttemptFirst()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{\"n\":2}", TestManifests.GitHubSecret);
        var eventId = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0].Header("webhook-id");
        await gateway.WaitForStateAsync(eventId, "delivered", TimeSpan.FromSeconds(10));
        receiver.Respond = (_, _) => Task.FromResult(new TestResponse(201));
        using var retry = await gateway.Admin.PostAsync($"/api/v1/connections/{TestManifests.Connection}/events/{eventId}/retry", null);
        await receiver.WaitForAsync(2, TimeSpan.FromSeconds(10));
        var stored = await Eventually.WaitAsync(() => gateway.EventAsync(eventId), e => e.Attempts == 2, TimeSpan.FromSeconds(10), "the retry to be recorded");
        var attempts = await gateway.AttemptsAsync(eventId);

        Assert.True(retry.IsSuccessStatusCode, $"retry answered {(int)retry.StatusCode}");
        Assert.Equal("delivered", stored.State);
        Assert.Equal([200, 201], attempts.Select(attempt => attempt.Status ?? 0));
        Assert.True(attempts[0].StartedAt <= attempts[1].StartedAt);
    }

    [Fact]
    public async Task ConcurrentSuccesses_ShareScriptCalls()
    {
        const int count = 50;
        var keys = new RedisKeys(GatewayHarness.NewKeyPrefix());
        var route = TestConnection(keys);
        await using var connection = await redis.Server.ConnectAsync();
        var database = connection.GetDatabase();
        var events = new EventStore(connection, keys);
        var entries = await RouteAndReadAsync(database, events, route, count);
        var recorder = new SuccessRecorder(events, new GatewayOptions(), new GatewayMetrics(), TimeProvider.System, NullLogger.Instance);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        await server.ExecuteAsync("CONFIG", "RESETSTAT");

        var recorded = entries.Select(entry => recorder.CompleteAsync(route, entry, Attempt(), CancellationToken.None)).ToList();
        await Task.WhenAll(recorded);
        var scriptCalls = await ScriptCallsAsync(server);

        Assert.All(recorded, task => Assert.True(task.Result));
        Assert.InRange(scriptCalls, 1, 10);
        Assert.Equal(0, await database.StreamLengthAsync(route.Keys.Events));
        foreach (var entry in entries)
        {
            Assert.Equal("delivered", (string?)await database.HashGetAsync(route.Keys.Event(entry.EventId), "state"));
        }
    }

    [Fact]
    public async Task RepeatedSuccessWrite_RecordsOneAttempt()
    {
        var keys = new RedisKeys(GatewayHarness.NewKeyPrefix());
        var route = TestConnection(keys);
        await using var connection = await redis.Server.ConnectAsync();
        var database = connection.GetDatabase();
        var events = new EventStore(connection, keys);
        var entry = (await RouteAndReadAsync(database, events, route, 1))[0];
        var attempt = Attempt();

        // A write whose reply was lost is sent again: the second run must change nothing.
        await events.CompleteAsync(route, [(entry, attempt)], maxAttemptRecords: 50);
        await events.CompleteAsync(route, [(entry, attempt)], maxAttemptRecords: 50);
        var stored = await events.GetAsync(route.Keys, entry.EventId);
        var attempts = await events.GetAttemptsAsync(route.Keys, entry.EventId);

        Assert.Equal(1, stored!.Attempts);
        Assert.Equal("delivered", stored.State);
        Assert.Single(attempts);
        Assert.False(await database.KeyExistsAsync(route.Keys.Attempts(entry.EventId)));
    }

    private static async Task<List<EventEntry>> RouteAndReadAsync(IDatabase database, EventStore events, ConnectionRoute route, int count)
    {
        await events.EnsureGroupAsync(route);
        var routed = Enumerable.Range(1, count)
            .Select(i => new RoutedEvent(EventIds.Create(route.SourceName, $"1700000000000-{i}", route.Name), $"1700000000000-{i}", 1700000000000, null))
            .ToList();
        Assert.Equal(count, (int)await EventStore.RouteAsync(database, route, routed, DateTimeOffset.UtcNow));
        var read = await events.ReadNewAsync(route, "test-consumer", count);
        return read.Select(entry => EventEntry.Parse(entry)!).ToList();
    }

    private static async Task<long> ScriptCallsAsync(IServer server)
    {
        var total = 0L;
        foreach (var group in await server.InfoAsync("commandstats"))
        {
            foreach (var (name, value) in group)
            {
                if (name is "cmdstat_eval" or "cmdstat_evalsha")
                {
                    total += long.Parse(value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        return total;
    }

    private static AttemptRecord Attempt() => new()
    {
        Attempt = 1,
        StartedAt = DateTimeOffset.UtcNow,
        DurationMs = 1.5,
        Status = 200,
        Outcome = DeliveryOutcome.Success,
        Consumer = "test-consumer",
    };

    private static ConnectionRoute TestConnection(RedisKeys keys)
    {
        var set = FastHook.Api.Manifests.ManifestLoader.LoadAndValidate([GatewayHarness.WriteManifests(TestManifests.GitHubToReceiver("http://127.0.0.1:9/"))]);
        return RouteTableBuilder.Build(set, keys, TimeProvider.System).Connections[TestManifests.Connection];
    }
}
