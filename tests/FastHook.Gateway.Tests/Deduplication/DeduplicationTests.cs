using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;
using FastHook.Gateway.Tests.Verification;

namespace FastHook.Gateway.Tests.Deduplication;

/// <summary>
/// Redeliveries through real gateways and Redis: a delivery id seen within the window is acknowledged but not
/// captured, routed or delivered again, also when another gateway process captured the first copy.
/// </summary>
public sealed class DeduplicationTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string ByHeader = "deduplication: {header: X-GitHub-Delivery}";

    [Fact]
    public async Task SameDeliveryIdTwice_DeliveredOnce()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url, sourceExtra: ByHeader));
        var deliveryId = Guid.NewGuid().ToString();

        var first = await PostAsync(gateway, "{\"action\":\"opened\"}", deliveryId);
        var second = await PostAsync(gateway, "{\"action\":\"opened\"}", deliveryId);
        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("{\"ok\":true}", await second.Content.ReadAsStringAsync());
        Assert.Equal(RequestId(first), RequestId(second));
        Assert.Single(receiver.Received);
        Assert.Equal(1, await CapturedAsync(gateway));
        Assert.Equal(1, gateway.Host.Services.Metrics.EventsRouted.WithLabels(TestManifests.Connection).Value);
        Assert.Equal(1, gateway.Host.Services.Metrics.RequestsReceived.WithLabels("default/github", "duplicate").Value);
        Assert.Equal(1, gateway.Host.Services.Metrics.RequestsReceived.WithLabels("default/github", "accepted").Value);
    }

    [Fact]
    public async Task TwoGatewayProcesses_ShareDeliveryIds()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var yaml = TestManifests.GitHubToReceiver(receiver.Url, sourceExtra: ByHeader);
        var prefix = GatewayHarness.NewKeyPrefix();
        await using var first = await GatewayHarness.StartAsync(redis.Server, yaml, keyPrefix: prefix);
        await using var second = await GatewayHarness.StartAsync(redis.Server, yaml, keyPrefix: prefix);
        var deliveryId = Guid.NewGuid().ToString();

        var toFirst = await PostAsync(first, "{\"action\":\"opened\"}", deliveryId);
        var toSecond = await PostAsync(second, "{\"action\":\"opened\"}", deliveryId);
        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, toFirst.StatusCode);
        Assert.Equal(HttpStatusCode.OK, toSecond.StatusCode);
        Assert.Equal(RequestId(toFirst), RequestId(toSecond));
        Assert.Single(receiver.Received);
        Assert.Equal(1, second.Host.Services.Metrics.RequestsReceived.WithLabels("default/github", "duplicate").Value);
    }

    [Fact]
    public async Task ConcurrentRedeliveries_CapturedOnce()
    {
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver("http://127.0.0.1:9", sourceExtra: ByHeader));
        var deliveryId = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(gateway, "{\"action\":\"opened\"}", deliveryId)));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Single(responses.Select(RequestId).Distinct());
        Assert.Equal(1, await CapturedAsync(gateway));
    }

    [Fact]
    public async Task RequestWithoutDeliveryId_CapturedEachTime()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url, sourceExtra: ByHeader));

        var first = await PostAsync(gateway, "{\"action\":\"opened\"}", deliveryId: null);
        var second = await PostAsync(gateway, "{\"action\":\"opened\"}", deliveryId: null);
        await receiver.WaitForAsync(2, TimeSpan.FromSeconds(20));

        Assert.NotEqual(RequestId(first), RequestId(second));
        Assert.Equal(2, await CapturedAsync(gateway));
        Assert.Equal(0, gateway.Host.Services.Metrics.RequestsReceived.WithLabels("default/github", "duplicate").Value);
    }

    [Fact]
    public async Task DifferentDeliveryIds_BothCaptured()
    {
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver("http://127.0.0.1:9", sourceExtra: ByHeader));

        await PostAsync(gateway, "{\"action\":\"opened\"}", Guid.NewGuid().ToString());
        await PostAsync(gateway, "{\"action\":\"opened\"}", Guid.NewGuid().ToString());

        Assert.Equal(2, await CapturedAsync(gateway));
    }

    [Fact]
    public async Task JsonField_DeduplicatesByBodyValue()
    {
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver("http://127.0.0.1:9", sourceExtra: "deduplication: {jsonField: delivery.id}"));

        var first = await PostAsync(gateway, "{\"delivery\":{\"id\":\"d-1\"},\"n\":1}", deliveryId: null);
        var sameId = await PostAsync(gateway, "{\"n\": 2, \"delivery\": {\"id\": \"d-1\"}}", deliveryId: null);
        var otherId = await PostAsync(gateway, "{\"delivery\":{\"id\":\"d-2\"}}", deliveryId: null);
        var numericId = await PostAsync(gateway, "{\"delivery\":{\"id\":12}}", deliveryId: null);
        var sameNumericId = await PostAsync(gateway, "{\"delivery\":{\"id\":12}}", deliveryId: null);

        Assert.Equal(RequestId(first), RequestId(sameId));
        Assert.NotEqual(RequestId(first), RequestId(otherId));
        Assert.Equal(RequestId(numericId), RequestId(sameNumericId));
        Assert.Equal(3, await CapturedAsync(gateway));
    }

    [Fact]
    public async Task AfterWindow_CapturedAgain()
    {
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver("http://127.0.0.1:9", sourceExtra: "deduplication: {header: X-GitHub-Delivery, window: 500ms}"));
        var deliveryId = Guid.NewGuid().ToString();

        var first = await PostAsync(gateway, "{\"action\":\"opened\"}", deliveryId);
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        var later = await PostAsync(gateway, "{\"action\":\"opened\"}", deliveryId);

        Assert.NotEqual(RequestId(first), RequestId(later));
        Assert.Equal(2, await CapturedAsync(gateway));
    }

    [Fact]
    public async Task ForgedRequest_DoesNotMarkDeliveryIdSeen()
    {
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver("http://127.0.0.1:9", sourceExtra: ByHeader));
        var deliveryId = Guid.NewGuid().ToString();

        var forged = await PostAsync(gateway, "{\"action\":\"opened\"}", deliveryId, secret: "forger's guess");
        var genuine = await PostAsync(gateway, "{\"action\":\"opened\"}", deliveryId);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal(1, await CapturedAsync(gateway));
        Assert.Equal(0, gateway.Host.Services.Metrics.RequestsReceived.WithLabels("default/github", "duplicate").Value);
    }

    private static async Task<HttpResponseMessage> PostAsync(GatewayHarness gateway, string body, string? deliveryId, string secret = TestManifests.GitHubSecret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, TestManifests.SourcePath) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Headers.Add("X-Hub-Signature-256", GatewayHarness.GitHubSignature(secret, bytes));
        if (deliveryId is not null)
        {
            request.Headers.Add("X-GitHub-Delivery", deliveryId);
        }

        var response = await gateway.Ingest.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static string RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-FastHook-Request-Id", out var values) ? values.Single() : "";

    private static async Task<long> CapturedAsync(GatewayHarness gateway)
    {
        var keys = new RedisKeys(gateway.Options.KeyPrefix);
        return await gateway.Host.Services.Redis.GetDatabase().StreamLengthAsync(keys.Source("default/github").Requests);
    }
}
