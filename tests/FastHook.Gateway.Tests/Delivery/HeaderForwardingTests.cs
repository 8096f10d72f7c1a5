using System.Net.Sockets;
using System.Text;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Delivery;

public sealed class HeaderForwardingTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Utf8HeaderValue_IsDeliveredUnchanged()
    {
        const string value = "héllo ✓";
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        // HttpClient refuses non-ASCII header values, so the request is written to the socket directly, as
        // a provider whose HTTP stack sends UTF-8 would.
        var status = await PostRawAsync(gateway.Ingest.BaseAddress!, "{\"n\":1}", "X-Note", value);
        var received = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10));

        Assert.Equal("HTTP/1.1 200 OK", status);
        Assert.Equal(value, received[0].Header("X-Note"));
    }

    private static async Task<string> PostRawAsync(Uri ingest, string body, string headerName, string headerValue)
    {
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var head = $"POST {TestManifests.SourcePath} HTTP/1.1\r\nHost: {ingest.Authority}\r\nContent-Type: application/json\r\n" +
            $"X-Hub-Signature-256: {GatewayHarness.GitHubSignature(TestManifests.GitHubSecret, bodyBytes)}\r\n" +
            $"{headerName}: {headerValue}\r\nContent-Length: {bodyBytes.Length}\r\nConnection: close\r\n\r\n";
        using var client = new TcpClient();
        await client.ConnectAsync(ingest.Host, ingest.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head));
        await stream.WriteAsync(bodyBytes);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadLineAsync() ?? "";
    }
}
