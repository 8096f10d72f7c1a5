using System.Text;
using System.Text.Json;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Filtering;

/// <summary>
/// Filters in a running gateway with a real Redis server and receiver: a request that does not pass is captured
/// and inspectable, creates no event, is not delivered, and is counted.
/// </summary>
public sealed class FilterEndToEndTests : IAsyncLifetime
{
    private const string Connection = TestManifests.Connection;
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task FilteredRequest_IsCapturedButNotDelivered()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(_redis, TestManifests.GitHubToReceiver(receiver.Url, connectionExtra: """
            filter:
              body: {action: opened}
              headers: {x-github-event: {$in: [pull_request, push]}}
            """));

        var closed = await gateway.PostGitHubAsync(TestManifests.SourcePath, """{"action": "closed"}""", TestManifests.GitHubSecret);
        var opened = await gateway.PostGitHubAsync(TestManifests.SourcePath, """{"action": "opened"}""", TestManifests.GitHubSecret);
        Assert.Equal(200, (int)closed.StatusCode);
        Assert.Equal(200, (int)opened.StatusCode);

        // The router handles a source's requests in order, so once the second is delivered the first was filtered.
        var delivered = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Single(receiver.Received);
        Assert.Equal("""{"action": "opened"}""", Encoding.UTF8.GetString(delivered[0].Body));

        var requests = await GetItemsAsync(gateway, "/api/v1/sources/default/github/requests");
        Assert.Equal(["""{"action": "opened"}""", """{"action": "closed"}"""], requests.Select(request => request.GetProperty("body").GetString()));

        var events = await GetItemsAsync(gateway, "/api/v1/connections/default/github-to-receiver/events");
        Assert.Single(events);

        var metrics = await gateway.Admin.GetStringAsync("/metrics");
        Assert.Contains($"fasthook_events_filtered_total{{connection=\"{Connection}\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"fasthook_events_routed_total{{connection=\"{Connection}\"}} 1", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("fasthook_filter_errors_total{", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CelFilter_RoutesOnlyMatchingRequests()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(_redis, TestManifests.GitHubToReceiver(receiver.Url, connectionExtra: """
            filter:
              cel: "request.headers['x-github-event'] == 'push' && request.body.ref.startsWith('refs/heads/')"
            """));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, """{"ref": "refs/tags/v1"}""", TestManifests.GitHubSecret);
        await gateway.PostGitHubAsync(TestManifests.SourcePath, """{"ref": "refs/heads/main"}""", TestManifests.GitHubSecret);

        var delivered = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Single(receiver.Received);
        Assert.Equal("""{"ref": "refs/heads/main"}""", Encoding.UTF8.GetString(delivered[0].Body));
    }

    [Fact]
    public async Task FilterError_IsCountedAndNotDelivered()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(_redis, TestManifests.GitHubToReceiver(receiver.Url, connectionExtra: """
            filter:
              cel: "request.body.missing == 'x'"
            """));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, """{"action": "opened"}""", TestManifests.GitHubSecret);

        var metrics = await Eventually.WaitAsync(
            () => gateway.Admin.GetStringAsync("/metrics"),
            text => text.Contains($"fasthook_filter_errors_total{{connection=\"{Connection}\"}} 1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the filter error to be counted");
        Assert.Contains($"fasthook_events_filtered_total{{connection=\"{Connection}\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }

    private static async Task<List<JsonElement>> GetItemsAsync(GatewayHarness gateway, string path)
    {
        using var document = JsonDocument.Parse(await gateway.Admin.GetStringAsync(path));
        return [.. document.RootElement.GetProperty("items").EnumerateArray().Select(item => item.Clone())];
    }
}
