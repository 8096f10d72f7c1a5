using System.Text;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.FlowControl;

public sealed class OrderingTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task OrderedKeys_FailingEventBlocksOnlyItsOwnKey()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var failures = 0;
        receiver.Respond = (_, request) =>
        {
            var failFirstOfA = Encoding.UTF8.GetString(request.Body).Contains("\"a-1\"", StringComparison.Ordinal) && Interlocked.Increment(ref failures) <= 2;
            return Task.FromResult(new TestResponse(failFirstOfA ? 503 : 200));
        };
        var keyPrefix = GatewayHarness.NewKeyPrefix();
        var manifests = TestManifests.GitHubToReceiver(
            receiver.Url,
            retry: "{strategy: linear, maxAttempts: 5, initialDelay: 400ms, maxDelay: 400ms}",
            connectionExtra: "ordering: {jsonField: customer}");
        await using var first = await GatewayHarness.StartAsync(redis.Server, manifests, keyPrefix: keyPrefix);
        await using var second = await GatewayHarness.StartAsync(redis.Server, manifests, keyPrefix: keyPrefix);

        string[] sequence = ["a-1", "b-1", "a-2", "b-2", "a-3", "b-3"];
        for (var i = 0; i < sequence.Length; i++)
        {
            var customer = sequence[i][..1];
            using var response = await (i % 2 == 0 ? first : second).PostGitHubAsync(
                TestManifests.SourcePath, $"{{\"customer\":\"{customer}\",\"id\":\"{sequence[i]}\"}}", TestManifests.GitHubSecret);
        }

        var received = await receiver.WaitForAsync(8, TimeSpan.FromSeconds(20));
        var delivered = received.Select(Id).ToList();
        var firstSuccessOfA1 = LastIndex(delivered, "a-1");

        Assert.Equal(["a-1", "a-1", "a-1"], delivered.Where(id => id == "a-1"));
        Assert.True(delivered.IndexOf("a-2") > firstSuccessOfA1, $"a-2 was delivered before a-1 succeeded: {string.Join(", ", delivered)}");
        Assert.True(delivered.IndexOf("a-3") > delivered.IndexOf("a-2"), $"a-3 came before a-2: {string.Join(", ", delivered)}");
        Assert.True(delivered.IndexOf("b-3") < firstSuccessOfA1, $"key b waited for key a: {string.Join(", ", delivered)}");
        Assert.True(delivered.IndexOf("b-2") > delivered.IndexOf("b-1"), $"b-2 came before b-1: {string.Join(", ", delivered)}");
        Assert.True(delivered.IndexOf("b-3") > delivered.IndexOf("b-2"), $"b-3 came before b-2: {string.Join(", ", delivered)}");
    }

    [Fact]
    public async Task OrderedConnection_DeadLetterReleasesTheNextEvent()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (_, request) => Task.FromResult(new TestResponse(Id(request) == "1" ? 400 : 200));
        var manifests = TestManifests.GitHubToReceiver(receiver.Url, connectionExtra: "ordering: {}");
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, manifests);

        for (var i = 1; i <= 3; i++)
        {
            using var response = await gateway.PostGitHubAsync(TestManifests.SourcePath, $"{{\"id\":\"{i}\"}}", TestManifests.GitHubSecret);
        }

        var received = await receiver.WaitForAsync(3, TimeSpan.FromSeconds(10));

        Assert.Equal(["1", "2", "3"], received.Select(Id));
    }

    [Fact]
    public async Task Delay_HoldsTheFirstAttempt()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url, connectionExtra: "delay: 800ms"));

        var sent = DateTimeOffset.UtcNow;
        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var received = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10));

        Assert.InRange((received[0].At - sent).TotalMilliseconds, 780, 2500);
    }

    private static string Id(ReceivedRequest request)
    {
        using var document = System.Text.Json.JsonDocument.Parse(request.Body);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    private static int LastIndex(List<string> ids, string id) => ids.LastIndexOf(id);
}
