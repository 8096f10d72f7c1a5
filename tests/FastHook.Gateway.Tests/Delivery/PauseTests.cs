using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Delivery;

public sealed class PauseTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task PausedConnection_HoldsEventsAndDeliversThemOnResume()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url, destinationExtra: "maxConcurrency: 1", connectionExtra: "paused: true"));

        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.PostGitHubAsync(TestManifests.SourcePath, $"{{\"n\":{i}}}", TestManifests.GitHubSecret);
        }

        var held = await Eventually.WaitAsync(() => gateway.EventsAsync(EventStates.Pending), events => events.Count == 3, TimeSpan.FromSeconds(10), "three held events");
        await Task.Delay(500);
        Assert.Empty(receiver.Received);

        await File.WriteAllTextAsync(Path.Combine(gateway.ManifestFolder, "manifests.yaml"), TestManifests.GitHubToReceiver(receiver.Url, destinationExtra: "maxConcurrency: 1"));
        var received = await receiver.WaitForAsync(3, TimeSpan.FromSeconds(10));

        Assert.Equal(3, held.Count);
        Assert.Equal(["{\"n\":0}", "{\"n\":1}", "{\"n\":2}"], received.Select(request => System.Text.Encoding.UTF8.GetString(request.Body)));
    }
}
