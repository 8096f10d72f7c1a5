using System.Net;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Storage;

public sealed class RedisOutageTests
{
    [Fact]
    public async Task RedisDown_Gets503AndWorkResumesWhenItReturns()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis, TestManifests.GitHubToReceiver(receiver.Url));

        using var before = await gateway.PostGitHubAsync(TestManifests.SourcePath, "{\"n\":\"before\"}", TestManifests.GitHubSecret);
        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10));
        await redis.StopAsync();

        var started = DateTime.UtcNow;
        using var during = await gateway.PostGitHubAsync(TestManifests.SourcePath, "{\"n\":\"during\"}", TestManifests.GitHubSecret);
        var answeredIn = DateTime.UtcNow - started;

        await redis.StartAgainAsync();
        var after = await Eventually.WaitAsync(
            () => gateway.PostGitHubAsync(TestManifests.SourcePath, "{\"n\":\"after\"}", TestManifests.GitHubSecret),
            response => response.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20),
            "ingest to accept requests again");
        var received = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal("5", during.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(answeredIn < TimeSpan.FromSeconds(5), $"503 took {answeredIn.TotalSeconds:0.0}s; ingest must answer within its own deadline");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("{\"n\":\"after\"}", System.Text.Encoding.UTF8.GetString(received[^1].Body));
        Assert.DoesNotContain(received, request => System.Text.Encoding.UTF8.GetString(request.Body).Contains("during", StringComparison.Ordinal));
        Assert.True(await gateway.MetricAsync("fasthook_requests_received_total{source=\"default/github\",outcome=\"unavailable\"}") >= 1);
    }

    [Fact]
    public async Task ReadinessProbe_FailsWhileRedisIsDown()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis, TestManifests.GitHubToReceiver(receiver.Url));

        using var up = await gateway.Admin.GetAsync("/readyz");
        await redis.StopAsync();
        using var down = await gateway.Admin.GetAsync("/readyz");
        using var live = await gateway.Admin.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
