using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FastHook.Gateway.Hosting;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace FastHook.Gateway.Tests.Verification;

/// <summary>
/// Verification through a real gateway: the 401 a provider gets, what is counted and logged, and the URL checks
/// that get their challenge back without being captured.
/// </summary>
public sealed class GatewayVerificationTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string SlackSecret = "slack-gateway-signing-secret";
    private const string TwitchSecret = "twitch-gateway-eventsub-secret";

    [Fact]
    public async Task ForgedRequest_Gets401WithoutDetail()
    {
        await using var gateway = await StartAsync();
        var body = "{\"type\":\"event_callback\"}";
        var forged = SlackHeaders("not-the-secret", body, DateTimeOffset.UtcNow);

        var response = await PostAsync(gateway.IngestUrls, "/e/default/slack", body, forged);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("{\"error\":\"The request could not be verified.\"}", text);
        Assert.Equal(0, await CapturedAsync(gateway, "default/slack"));
    }

    [Fact]
    public async Task Rejections_CountedBySourceAndReason()
    {
        await using var gateway = await StartAsync();
        var body = "{\"type\":\"event_callback\"}";
        var stale = SlackHeaders(SlackSecret, body, DateTimeOffset.UtcNow.AddMinutes(-30));

        await PostAsync(gateway.IngestUrls, "/e/default/slack", body, SlackHeaders("wrong", body, DateTimeOffset.UtcNow));
        await PostAsync(gateway.IngestUrls, "/e/default/slack", body, SlackHeaders("wrong", body, DateTimeOffset.UtcNow));
        await PostAsync(gateway.IngestUrls, "/e/default/slack", body, stale);
        await PostAsync(gateway.IngestUrls, "/e/default/slack", body, []);

        var failures = gateway.Services.Metrics.VerificationFailures;
        Assert.Equal(2, failures.WithLabels("default/slack", "signatureMismatch").Value);
        Assert.Equal(1, failures.WithLabels("default/slack", "timestampOutOfTolerance").Value);
        Assert.Equal(1, failures.WithLabels("default/slack", "missingSignature").Value);
        Assert.Equal(4, gateway.Services.Metrics.RequestsReceived.WithLabels("default/slack", "unverified").Value);
    }

    [Fact]
    public async Task RejectionBurst_LoggedOnceWithoutSecretOrSignature()
    {
        var logs = new CollectingLoggerProvider();
        await using var gateway = await StartAsync(logs);
        var body = "{\"type\":\"event_callback\"}";
        var forged = SlackHeaders("forger-secret", body, DateTimeOffset.UtcNow);

        for (var i = 0; i < 5; i++)
        {
            await PostAsync(gateway.IngestUrls, "/e/default/slack", body, forged);
        }

        var rejections = logs.Messages.Where(message => message.EventId == 101).ToList();
        Assert.Single(rejections);
        Assert.Contains("default/slack", rejections[0].Text, StringComparison.Ordinal);
        Assert.Contains("signatureMismatch", rejections[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Messages, message => message.Text.Contains(SlackSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, message => message.Text.Contains(forged["X-Slack-Signature"][3..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task SlackUrlVerification_AnsweredNotCaptured()
    {
        await using var gateway = await StartAsync();
        var body = "{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}";

        var response = await PostAsync(gateway.IngestUrls, "/e/default/slack", body, SlackHeaders(SlackSecret, body, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await CapturedAsync(gateway, "default/slack"));
        Assert.Equal(1, gateway.Services.Metrics.RequestsReceived.WithLabels("default/slack", "handshake").Value);
    }

    [Fact]
    public async Task SlackUrlVerification_UnsignedRejected()
    {
        await using var gateway = await StartAsync();
        var body = "{\"challenge\":\"echo-me\",\"type\":\"url_verification\"}";

        var response = await PostAsync(gateway.IngestUrls, "/e/default/slack", body, SlackHeaders("wrong", body, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("echo-me", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlackEvent_Captured()
    {
        await using var gateway = await StartAsync();
        var body = "{\"type\":\"event_callback\",\"event\":{\"type\":\"app_mention\"}}";

        var response = await PostAsync(gateway.IngestUrls, "/e/default/slack", body, SlackHeaders(SlackSecret, body, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await CapturedAsync(gateway, "default/slack"));
    }

    [Fact]
    public async Task TwitchCallbackVerification_AnsweredAsTextPlain()
    {
        await using var gateway = await StartAsync();
        var body = "{\"challenge\":\"pogchamp-kappa-360noscope-vohiyo\",\"subscription\":{\"id\":\"f1c2a387-161a-49f9-a165-0f21d7a4e1c4\",\"status\":\"webhook_callback_verification_pending\",\"type\":\"channel.follow\"}}";
        var headers = TwitchHeaders(TwitchSecret, body, DateTimeOffset.UtcNow, "webhook_callback_verification");

        var response = await PostAsync(gateway.IngestUrls, "/e/default/twitch", body, headers);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("pogchamp-kappa-360noscope-vohiyo", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await CapturedAsync(gateway, "default/twitch"));
    }

    [Fact]
    public async Task TwitchNotification_Captured()
    {
        await using var gateway = await StartAsync();
        var body = "{\"subscription\":{\"type\":\"channel.follow\"},\"event\":{\"user_id\":\"1234\"}}";

        var response = await PostAsync(gateway.IngestUrls, "/e/default/twitch", body, TwitchHeaders(TwitchSecret, body, DateTimeOffset.UtcNow, "notification"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await CapturedAsync(gateway, "default/twitch"));
    }

    [Fact]
    public async Task TwitchCallbackVerification_ForgedRejected()
    {
        await using var gateway = await StartAsync();
        var body = "{\"challenge\":\"echo-me\"}";

        var response = await PostAsync(gateway.IngestUrls, "/e/default/twitch", body, TwitchHeaders("forged-secret-value", body, DateTimeOffset.UtcNow, "webhook_callback_verification"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<GatewayHost> StartAsync(ILoggerProvider? logs = null)
    {
        var yaml = $$"""
            apiVersion: v1
            kind: Secret
            metadata: {name: providers}
            stringData: {slack: "{{SlackSecret}}", twitch: "{{TwitchSecret}}"}
            ---
            apiVersion: fasthook.io/v1alpha1
            kind: WebhookSource
            metadata: {name: slack}
            spec:
              verification:
                provider: slack
                secretRef: {name: providers, key: slack}
            ---
            apiVersion: fasthook.io/v1alpha1
            kind: WebhookSource
            metadata: {name: twitch}
            spec:
              verification:
                provider: twitch
                secretRef: {name: providers, key: twitch}
            """;
        var options = GatewayHarness.TestOptions(redis.Server, GatewayHarness.WriteManifests(yaml), GatewayHarness.NewKeyPrefix());
        return await GatewayHost.StartAsync(options, logging =>
        {
            logging.SetMinimumLevel(LogLevel.Information);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
    }

    private static async Task<long> CapturedAsync(GatewayHost gateway, string source)
    {
        var keys = new RedisKeys(gateway.Services.Options.KeyPrefix);
        return await gateway.Services.Redis.GetDatabase().StreamLengthAsync(keys.Source(source).Requests);
    }

    private static Dictionary<string, string> SlackHeaders(string secret, string body, DateTimeOffset at)
    {
        var t = ProviderSigners.Seconds(at);
        return new()
        {
            ["X-Slack-Request-Timestamp"] = t,
            ["X-Slack-Signature"] = "v0=" + ProviderSigners.HexHmacSha256(secret, Encoding.UTF8.GetBytes($"v0:{t}:{body}")),
        };
    }

    private static Dictionary<string, string> TwitchHeaders(string secret, string body, DateTimeOffset at, string type)
    {
        var id = Guid.NewGuid().ToString();
        var timestamp = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return new()
        {
            ["Twitch-Eventsub-Message-Id"] = id,
            ["Twitch-Eventsub-Message-Timestamp"] = timestamp,
            ["Twitch-Eventsub-Message-Type"] = type,
            ["Twitch-Eventsub-Message-Signature"] = "sha256=" + ProviderSigners.HexHmacSha256(secret, Encoding.UTF8.GetBytes(id + timestamp + body)),
        };
    }

    private static async Task<HttpResponseMessage> PostAsync(IReadOnlyList<string> urls, string path, string body, Dictionary<string, string> headers)
    {
        using var client = new HttpClient { BaseAddress = new Uri(urls[0]) };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>
    /// Keeps every log message with its event id, so a test can check what was logged and how often.
    /// </summary>
    private sealed class CollectingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<(int EventId, string Text)> _messages = new();

        public IReadOnlyList<(int EventId, string Text)> Messages => [.. _messages];

        public ILogger CreateLogger(string categoryName) => new Collector(_messages);

        public void Dispose()
        {
        }

        private sealed class Collector(ConcurrentQueue<(int EventId, string Text)> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue((eventId.Id, formatter(state, exception)));
        }
    }
}
