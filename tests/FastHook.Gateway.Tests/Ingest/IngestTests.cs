using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FastHook.Gateway.Tests.Infrastructure;
using StackExchange.Redis;

namespace FastHook.Gateway.Tests.Ingest;

public sealed class IngestTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    // GitHub's documented example: https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
    private const string GitHubDocsBody = "Hello, World!";
    private const string GitHubDocsSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public async Task GitHubDocsVector_IsAcceptedAndCaptured()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        using var response = await SendRawAsync(gateway, GitHubDocsBody, GitHubDocsSignature);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await RequestCountAsync(gateway));
    }

    [Fact]
    public async Task GitHubDocsVector_WithOneChangedByte_IsRejected()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        using var response = await SendRawAsync(gateway, "Hello, World?", GitHubDocsSignature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await RequestCountAsync(gateway));
    }

    [Fact]
    public async Task SignedRequest_IsDeliveredWithBodyAndHeadersIntact()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));
        var body = "{\"action\":\"opened\",  \"number\": 1, \"text\":\"caf\u00e9 \\u00e9\"}";

        using var response = await gateway.PostGitHubAsync(TestManifests.SourcePath, body, TestManifests.GitHubSecret, "application/json; charset=utf-8");
        var delivered = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0];

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetBytes(body), delivered.Body);
        Assert.Equal("application/json; charset=utf-8", delivered.Header("Content-Type"));
        Assert.Equal("push", delivered.Header("X-GitHub-Event"));
        Assert.StartsWith("evt_", delivered.Header("webhook-id"), StringComparison.Ordinal);
        Assert.Equal("1", delivered.Header("X-FastHook-Attempt"));
        Assert.Equal(response.Headers.GetValues("X-FastHook-Request-Id").Single(), delivered.Header("X-FastHook-Request-Id"));
        Assert.StartsWith("v1,", delivered.Header("webhook-signature"), StringComparison.Ordinal);
        Assert.Equal("/hooks", delivered.PathAndQuery);
    }

    [Fact]
    public async Task ConfiguredResponse_IsSentAfterCapture()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var manifests = TestManifests.GitHubToReceiver(receiver.Url, sourceExtra: "response: {statusCode: 202, contentType: text/plain, body: accepted}");
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, manifests);

        using var response = await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("accepted", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BadSignature_Gets401AndCapturesNothing()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        using var response = await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", "wrong secret");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("sha256", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await RequestCountAsync(gateway));
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task MissingSignature_Gets401AndCapturesNothing()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        using var response = await gateway.Ingest.PostAsync(TestManifests.SourcePath, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await RequestCountAsync(gateway));
    }

    [Fact]
    public async Task DisallowedMethod_Gets405WithAllowAndCapturesNothing()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        using var response = await gateway.Ingest.PutAsync(TestManifests.SourcePath, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(",", response.Content.Headers.Allow));
        Assert.Equal(0, await RequestCountAsync(gateway));
    }

    [Fact]
    public async Task BodyOverLimit_Gets413AndCapturesNothing()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));
        var body = new string('x', 1025);

        using var response = await gateway.PostGitHubAsync(TestManifests.SourcePath, body, TestManifests.GitHubSecret);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await RequestCountAsync(gateway));
    }

    [Fact]
    public async Task ChunkedBodyOverLimit_Gets413WithoutContentLength()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));
        using var request = new HttpRequestMessage(HttpMethod.Post, TestManifests.SourcePath)
        {
            Content = new StreamContent(new EndlessStream(1024 * 1024)),
        };
        request.Headers.TransferEncodingChunked = true;

        using var response = await gateway.Ingest.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await RequestCountAsync(gateway));
    }

    [Fact]
    public async Task ChunkedBodyAtLimit_IsAccepted()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));
        var body = new byte[1024];
        body.AsSpan().Fill((byte)'x');
        using var request = new HttpRequestMessage(HttpMethod.Post, TestManifests.SourcePath)
        {
            Content = new StreamContent(new SmallChunkStream(body, chunkSize: 7)),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("X-Hub-Signature-256", GatewayHarness.GitHubSignature(TestManifests.GitHubSecret, body));

        using var response = await gateway.Ingest.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await RequestCountAsync(gateway));
    }

    [Fact]
    public async Task BodyAtLimit_IsAccepted()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        using var response = await gateway.PostGitHubAsync(TestManifests.SourcePath, new string('x', 1024), TestManifests.GitHubSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await RequestCountAsync(gateway));
    }

    [Fact]
    public async Task UnknownPath_Gets404()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        using var response = await gateway.PostGitHubAsync("/e/default/nothing", "{}", TestManifests.GitHubSecret);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AdminApi_IsNotServedOnIngestPort()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        using var response = await gateway.Ingest.GetAsync("/api/v1/connections");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static Task<HttpResponseMessage> SendRawAsync(GatewayHarness gateway, string body, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, TestManifests.SourcePath) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        request.Headers.Add("X-Hub-Signature-256", signature);
        return gateway.Ingest.SendAsync(request);
    }

    private async Task<long> RequestCountAsync(GatewayHarness gateway)
    {
        await using var connection = await redis.Server.ConnectAsync();
        var key = new FastHook.Gateway.Storage.RedisKeys(gateway.Options.KeyPrefix).Source("default/github").Requests;
        return await connection.GetDatabase().StreamLengthAsync(key);
    }

    /// <summary>A stream that yields a body a few bytes per read, so the client sends many small chunks.</summary>
    private sealed class SmallChunkStream(byte[] body, int chunkSize) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, chunkSize), body.Length - _position);
            body.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            // Yielding between reads makes HttpClient flush each piece as its own chunk.
            await Task.Yield();
            var n = Math.Min(Math.Min(buffer.Length, chunkSize), body.Length - _position);
            body.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A stream that yields <c>x</c> bytes up to a length, sent chunked with no Content-Length.</summary>
    private sealed class EndlessStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
