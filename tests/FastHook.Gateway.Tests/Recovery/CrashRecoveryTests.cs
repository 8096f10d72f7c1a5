using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Recovery;

public sealed class CrashRecoveryTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task GatewayKilledDuringDelivery_LosesNothing()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Respond = async (n, _) =>
        {
            if (n == 1)
            {
                firstArrived.TrySetResult();
                await release.Task;
            }

            return new TestResponse(200);
        };

        var keyPrefix = GatewayHarness.NewKeyPrefix();
        var manifests = TestManifests.GitHubToReceiver(receiver.Url, destinationTimeout: "5s");
        var folder = GatewayHarness.WriteManifests(manifests);
        await using var doomed = await GatewayProcess.StartAsync(redis.Server, folder, keyPrefix);
        using var ingest = new HttpClient { BaseAddress = new Uri(doomed.IngestUrl) };
        var body = System.Text.Encoding.UTF8.GetBytes("{\"crash\":true}");
        using var request = new HttpRequestMessage(HttpMethod.Post, TestManifests.SourcePath) { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-Hub-Signature-256", GatewayHarness.GitHubSignature(TestManifests.GitHubSecret, body));

        using var accepted = await ingest.SendAsync(request);
        await firstArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await doomed.KillAsync();
        release.SetResult();

        await using var survivor = await GatewayHarness.StartAsync(redis.Server, manifests, keyPrefix: keyPrefix);
        var received = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(30));
        var eventId = received[0].Header("webhook-id");
        var stored = await survivor.WaitForStateAsync(eventId, EventStates.Delivered, TimeSpan.FromSeconds(10));

        Assert.Equal(System.Net.HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(eventId, received[1].Header("webhook-id"));
        Assert.Equal(body, received[1].Body);
        Assert.Equal(EventStates.Delivered, stored.State);
        Assert.Equal(survivor.Host.ConsumerName, (await survivor.AttemptsAsync(eventId))[^1].Consumer);
    }
}
