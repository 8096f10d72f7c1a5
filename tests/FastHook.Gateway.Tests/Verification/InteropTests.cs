using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Verification;

/// <summary>
/// Requests signed by the providers' own npm libraries (stripe, @octokit/webhooks-methods, standardwebhooks,
/// twilio) sent to a real gateway, and the gateway's outgoing signatures checked by standardwebhooks and svix.
/// </summary>
public sealed class InteropTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string StripeSecret = "whsec_interop_stripe_endpoint_secret";
    private const string GitHubSecret = "interop GitHub secret";
    private const string StandardWebhooksSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string TwilioToken = "interop-twilio-auth-token";
    private const string TwilioPublicUrl = "https://hooks.example.com/e/default/twilio";
    private const string SigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string NextSigningSecret = "whsec_bmV4dCBzaWduaW5nIHNlY3JldCBmb3IgaW50ZXJvcA==";

    private const string JsonBody = "{\n  \"id\": \"evt_interop\",\n  \"type\": \"ping\",\n  \"amount\": 2432232314,\n  \"note\": \"caf\u00e9\"\n}";

    [Fact]
    public async Task StripeLibrary_SignedAcceptedTamperedRejected()
    {
        await using var gateway = await StartGatewayAsync();
        var headers = await NodeInterop.SignAsync(new { provider = "stripe", secret = StripeSecret, body = JsonBody, timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds() });

        var accepted = await PostAsync(gateway, "/e/default/stripe", JsonBody, headers);
        var tampered = await PostAsync(gateway, "/e/default/stripe", JsonBody.Replace("ping", "pong", StringComparison.Ordinal), headers);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
    }

    [Fact]
    public async Task StripeLibrary_StaleTimestampRejected()
    {
        await using var gateway = await StartGatewayAsync();
        var stale = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();
        var headers = await NodeInterop.SignAsync(new { provider = "stripe", secret = StripeSecret, body = JsonBody, timestamp = stale });

        var response = await PostAsync(gateway, "/e/default/stripe", JsonBody, headers);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OctokitLibrary_SignedAcceptedTamperedRejected()
    {
        await using var gateway = await StartGatewayAsync();
        var headers = await NodeInterop.SignAsync(new { provider = "github", secret = GitHubSecret, body = JsonBody });

        var accepted = await PostAsync(gateway, "/e/default/github", JsonBody, headers);
        var tampered = await PostAsync(gateway, "/e/default/github", JsonBody + " ", headers);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
    }

    [Fact]
    public async Task StandardWebhooksLibrary_SignedAcceptedTamperedRejected()
    {
        await using var gateway = await StartGatewayAsync();
        var headers = await NodeInterop.SignAsync(new
        {
            provider = "standardWebhooks",
            secret = StandardWebhooksSecret,
            body = JsonBody,
            timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            id = "msg_interop_1",
        });

        var accepted = await PostAsync(gateway, "/e/default/standard", JsonBody, headers);
        var tampered = await PostAsync(gateway, "/e/default/standard", JsonBody.Replace("2432232314", "2432232315", StringComparison.Ordinal), headers);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
    }

    [Fact]
    public async Task TwilioLibrary_SignedAcceptedTamperedRejected()
    {
        await using var gateway = await StartGatewayAsync();
        var parameters = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM1234567890",
            ["Body"] = "Hello from FastHook & friends",
            ["From"] = "+14158675309",
            ["To"] = "+18005551212",
        };
        var form = string.Join('&', parameters.Select(parameter => $"{Uri.EscapeDataString(parameter.Key)}={Uri.EscapeDataString(parameter.Value)}"));
        var headers = await NodeInterop.SignAsync(new { provider = "twilio", secret = TwilioToken, url = TwilioPublicUrl + "?tenant=a", @params = parameters });

        var accepted = await PostAsync(gateway, "/e/default/twilio?tenant=a", form, headers, "application/x-www-form-urlencoded");
        var tampered = await PostAsync(gateway, "/e/default/twilio?tenant=a", form.Replace("SM1234567890", "SM1234567891", StringComparison.Ordinal), headers, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
    }

    [Fact]
    public async Task OutgoingSignature_VerifiesWithStandardWebhooksAndSvix()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await StartGatewayAsync(receiver.Url);
        var headers = await NodeInterop.SignAsync(new { provider = "github", secret = GitHubSecret, body = JsonBody });

        var response = await PostAsync(gateway, "/e/default/github", JsonBody, headers);
        var delivery = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20)))[0];
        var deliveredBody = Encoding.UTF8.GetString(delivery.Body);
        var deliveredHeaders = new Dictionary<string, string>
        {
            ["webhook-id"] = delivery.Header("webhook-id"),
            ["webhook-timestamp"] = delivery.Header("webhook-timestamp"),
            ["webhook-signature"] = delivery.Header("webhook-signature"),
        };

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, deliveredHeaders["webhook-signature"].Split(' ').Length);
        foreach (var secret in new[] { SigningSecret, NextSigningSecret })
        {
            var verified = await NodeInterop.RunAsync("verify.mjs", new { secret, body = deliveredBody, headers = deliveredHeaders });
            Assert.Equal("ok", verified["standardwebhooks"]!.GetValue<string>());
            Assert.Equal("ok", verified["svix"]!.GetValue<string>());
        }

        var tampered = await NodeInterop.RunAsync("verify.mjs", new { secret = SigningSecret, body = deliveredBody + " ", headers = deliveredHeaders });
        Assert.NotEqual("ok", tampered["standardwebhooks"]!.GetValue<string>());
        Assert.NotEqual("ok", tampered["svix"]!.GetValue<string>());
    }

    private async Task<GatewayHarness> StartGatewayAsync(string receiverUrl = "http://127.0.0.1:9")
    {
        var yaml = $$$"""
            apiVersion: v1
            kind: Secret
            metadata: {name: providers}
            stringData:
              stripe: "{{{StripeSecret}}}"
              github: "{{{GitHubSecret}}}"
              standard: "{{{StandardWebhooksSecret}}}"
              twilio: "{{{TwilioToken}}}"
              signing: "{{{SigningSecret}}}"
              signing-next: "{{{NextSigningSecret}}}"
            ---
            apiVersion: fasthook.io/v1alpha1
            kind: WebhookSource
            metadata: {name: stripe}
            spec:
              verification: {provider: stripe, secretRef: {name: providers, key: stripe}}
            ---
            apiVersion: fasthook.io/v1alpha1
            kind: WebhookSource
            metadata: {name: github}
            spec:
              verification: {provider: github, secretRef: {name: providers, key: github}}
            ---
            apiVersion: fasthook.io/v1alpha1
            kind: WebhookSource
            metadata: {name: standard}
            spec:
              verification: {provider: standardWebhooks, secretRef: {name: providers, key: standard}}
            ---
            apiVersion: fasthook.io/v1alpha1
            kind: WebhookSource
            metadata: {name: twilio}
            spec:
              verification:
                provider: twilio
                secretRef: {name: providers, key: twilio}
                twilio: {publicUrl: "{{{TwilioPublicUrl}}}"}
            ---
            apiVersion: fasthook.io/v1alpha1
            kind: Destination
            metadata: {name: receiver}
            spec:
              url: {{{receiverUrl}}}/hooks
              timeout: 2s
              signing:
                secretRef: {name: providers, key: signing}
                additionalSecretRefs: [{name: providers, key: signing-next}]
            ---
            apiVersion: fasthook.io/v1alpha1
            kind: Connection
            metadata: {name: github-to-receiver}
            spec:
              sourceRef: {name: github}
              destinationRef: {name: receiver}
            """;
        return await GatewayHarness.StartAsync(redis.Server, yaml);
    }

    private static async Task<HttpResponseMessage> PostAsync(GatewayHarness gateway, string path, string body, Dictionary<string, string> headers, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await gateway.Ingest.SendAsync(request);
    }
}
