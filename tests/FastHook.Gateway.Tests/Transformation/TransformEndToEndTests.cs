using System.Globalization;
using System.Text;
using System.Text.Json;
using FastHook.Api;
using FastHook.Gateway.Signing;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Transformation;

/// <summary>
/// Transforms in a running gateway with a real Redis server and receiver: a rewritten delivery arrives signed over
/// its new body, and a script that fails or exceeds a limit dead-letters its event with the error recorded.
/// </summary>
public sealed class TransformEndToEndTests : IAsyncLifetime
{
    private const string Connection = TestManifests.Connection;
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Transform_RewritesDelivery()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(_redis, TestManifests.GitHubToReceiver(receiver.Url, connectionExtra: """
            transform:
              script: |
                function transform(request) {
                  return {
                    body: {branch: request.body.ref.replace('refs/heads/', ''), commits: request.body.commits.length},
                    headers: {'X-Event': request.headers['x-github-event'], 'X-Delivery-Kind': 'summary'},
                    path: '/github'
                  };
                }
            """));

        var response = await gateway.PostGitHubAsync(TestManifests.SourcePath, """{"ref": "refs/heads/main", "commits": [{}, {}, {}]}""", TestManifests.GitHubSecret);
        Assert.Equal(200, (int)response.StatusCode);

        var delivered = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0];
        Assert.Equal("""{"branch":"main","commits":3}""", Encoding.UTF8.GetString(delivered.Body));
        Assert.Equal("/hooks/github", delivered.PathAndQuery);
        Assert.Equal("application/json", delivered.Header("Content-Type"));
        Assert.Equal("push", delivered.Header("X-Event"));
        Assert.Equal("summary", delivered.Header("X-Delivery-Kind"));
        Assert.Equal("", delivered.Header("X-GitHub-Event"));
        Assert.Equal(ExpectedSignature(delivered), delivered.Header(StandardWebhooksSignature.SignatureHeader));
    }

    [Fact]
    public async Task NoTransform_DeliversBodyByteForByte()
    {
        const string body = "{ \"b\":1,  \"a\" : [1,2 ],\n\"\\u00e9\": \"é\" }";
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(_redis, TestManifests.GitHubToReceiver(receiver.Url));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, body, TestManifests.GitHubSecret);

        var delivered = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0];
        Assert.Equal(Encoding.UTF8.GetBytes(body), delivered.Body);
    }

    // Each case but the first has a long timeout, so that on a busy machine it fails by its own limit and not by time.
    [Theory]
    [InlineData("while (true) {}", "200ms", "timeout", "timeout of 200ms")]
    [InlineData("const parts = []; while (true) { parts.push('x'.repeat(1000) + parts.length); }", "10s", "memoryLimit", "maxMemoryBytes is 4194304")]
    [InlineData("function down(n) { return down(n + 1) + 1; } return down(0);", "10s", "recursionLimit", "maxRecursionDepth 30")]
    [InlineData("throw new Error('unsupported event ' + request.headers['x-github-event']);", "10s", "error", "unsupported event push")]
    public async Task FailingTransform_IsDeadLetteredWithError(string statements, string timeout, string reason, string message)
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(_redis, TestManifests.GitHubToReceiver(receiver.Url, connectionExtra: $$"""
            transform:
              script: "function transform(request) { {{statements}} }"
              timeout: {{timeout}}
              maxMemoryBytes: 4194304
              maxRecursionDepth: 30
            """));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, """{"ref": "refs/heads/main"}""", TestManifests.GitHubSecret);

        var deadLetter = await Eventually.WaitAsync(
            () => FirstDeadLetterAsync(gateway),
            entry => entry is not null,
            TimeSpan.FromSeconds(15),
            "the event to be dead-lettered");
        Assert.Equal("transformFailed", deadLetter!.Value.GetProperty("reason").GetString());
        Assert.Contains($"({reason})", deadLetter.Value.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Contains(message, deadLetter.Value.GetProperty("lastError").GetString(), StringComparison.Ordinal);

        var eventId = deadLetter.Value.GetProperty("eventId").GetString();
        using var stored = JsonDocument.Parse(await gateway.Admin.GetStringAsync($"/api/v1/connections/default/github-to-receiver/events/{eventId}"));
        Assert.Equal("deadLettered", stored.RootElement.GetProperty("event").GetProperty("state").GetString());
        Assert.Equal("transformFailed", stored.RootElement.GetProperty("attempts")[0].GetProperty("outcome").GetString());

        var metrics = await gateway.Admin.GetStringAsync("/metrics");
        Assert.Contains($"fasthook_transform_failures_total{{connection=\"{Connection}\",reason=\"{reason}\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"fasthook_dead_letters_total{{connection=\"{Connection}\",reason=\"transformFailed\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }

    private static async Task<JsonElement?> FirstDeadLetterAsync(GatewayHarness gateway)
    {
        using var document = JsonDocument.Parse(await gateway.Admin.GetStringAsync("/api/v1/connections/default/github-to-receiver/deadletters"));
        var items = document.RootElement.GetProperty("items");
        return items.GetArrayLength() == 0 ? null : items[0].Clone();
    }

    private static string ExpectedSignature(ReceivedRequest delivered)
    {
        StandardWebhooksSecret.TryDecode(Encoding.UTF8.GetBytes(TestManifests.SigningSecret), out var key, out _);
        var timestamp = long.Parse(delivered.Header(StandardWebhooksSignature.TimestampHeader), CultureInfo.InvariantCulture);
        return StandardWebhooksSignature.CreateHeader([key], delivered.Header(StandardWebhooksSignature.IdHeader), timestamp, delivered.Body);
    }
}
