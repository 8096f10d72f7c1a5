using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FastHook.Gateway.Hosting;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Management;

public sealed class AdminApiTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Token = "a-long-random-admin-token-for-tests";

    [Fact]
    public async Task ManagementBeyondLoopback_WithoutToken_DoesNotStart()
    {
        var folder = GatewayHarness.WriteManifests(TestManifests.GitHubToReceiver("http://127.0.0.1:9"));
        var options = GatewayHarness.TestOptions(redis.Server, folder, GatewayHarness.NewKeyPrefix());
        options.ManagementUrls = "http://0.0.0.0:0";

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayHost.StartAsync(options));

        Assert.Contains("--admin-token-file", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_IsRequiredWhenConfigured()
    {
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver("http://127.0.0.1:9"), options => options.AdminToken = Token);

        using var anonymous = await gateway.Admin.GetAsync("/api/v1/connections");
        using var wrong = await SendAsync(gateway, "/api/v1/connections", "not-the-token");
        using var right = await SendAsync(gateway, "/api/v1/connections", Token);
        using var metrics = await gateway.Admin.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task Requests_ArePagedNewestFirst()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));
        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.PostGitHubAsync(TestManifests.SourcePath, $"{{\"n\":{i}}}", TestManifests.GitHubSecret);
        }

        var first = await gateway.Admin.GetFromJsonAsync<JsonElement>("/api/v1/sources/default/github/requests?limit=3");
        var next = first.GetProperty("next").GetString();
        var second = await gateway.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sources/default/github/requests?limit=3&before={next}");
        var bodies = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(item => item.GetProperty("body").GetString()).ToList();

        Assert.Equal(["{\"n\":4}", "{\"n\":3}", "{\"n\":2}", "{\"n\":1}", "{\"n\":0}"], bodies);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task Events_AreFilteredByStateAndPaged()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (n, _) => Task.FromResult(new TestResponse(n % 2 == 0 ? 400 : 200));
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));
        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.PostGitHubAsync(TestManifests.SourcePath, $"{{\"n\":{i}}}", TestManifests.GitHubSecret);
            await receiver.WaitForAsync(i + 1, TimeSpan.FromSeconds(10));
        }

        var deadLettered = await Eventually.WaitAsync(() => gateway.EventsAsync("deadLettered"), events => events.Count == 2, TimeSpan.FromSeconds(10), "two dead letters");
        var page = await gateway.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/connections/{TestManifests.Connection}/events?limit=3");

        Assert.All(deadLettered, stored => Assert.Equal("deadLettered", stored.State));
        Assert.Equal(3, page.GetProperty("items").GetArrayLength());
        Assert.Equal("3", page.GetProperty("next").GetString());
    }

    [Theory]
    [InlineData("/api/v1/connections/default/github-to-receiver/events?state=lost", "state")]
    [InlineData("/api/v1/connections/default/github-to-receiver/events?cursor=abc", "cursor")]
    [InlineData("/api/v1/sources/default/github/requests?before=xyz", "before")]
    [InlineData("/api/v1/sources/default/github/requests?limit=abc", "limit")]
    [InlineData("/api/v1/connections/default/github-to-receiver/events?limit=0", "limit")]
    public async Task InvalidQuery_Gets400NamingTheParameter(string path, string parameter)
    {
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver("http://127.0.0.1:9"));

        using var response = await gateway.Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(parameter, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/sources/default/github/requests?before=0-0")]
    [InlineData("/api/v1/connections/default/github-to-receiver/deadletters?before=0-0")]
    public async Task PageBeforeTheFirstId_IsEmpty(string path)
    {
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver("http://127.0.0.1:9"));

        var page = await gateway.Admin.GetFromJsonAsync<JsonElement>(path);

        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task UnknownConnection_Gets404NamingIt()
    {
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver("http://127.0.0.1:9"));

        using var response = await gateway.Admin.GetAsync("/api/v1/connections/default/nope/events");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("default/nope", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_FollowPrometheusNamingAndLabelOnlyNames()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var eventId = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0].Header("webhook-id");
        await gateway.WaitForStateAsync(eventId, "delivered", TimeSpan.FromSeconds(10));
        await gateway.Host.Services.Metrics.Registry.CollectAndExportAsTextAsync(Stream.Null);
        var text = await gateway.Admin.GetStringAsync("/metrics");

        Assert.Contains("fasthook_delivery_attempts_total{connection=\"default/github-to-receiver\",outcome=\"success\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("fasthook_delivery_latency_seconds_count{connection=\"default/github-to-receiver\"} 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain(eventId, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestManifests.GitHubSecret, text, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SendAsync(GatewayHarness gateway, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return gateway.Admin.SendAsync(request);
    }
}
