using System.Text;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Verification;
using Microsoft.AspNetCore.Http;

namespace FastHook.Gateway.Tests.Verification;

/// <summary>
/// Examples that providers publish with their documentation, checked byte for byte, with the clock injected at
/// the example's own time. Stripe, Shopify, Twitch, Paddle and GitLab publish the scheme but no complete example
/// with secret, body and signature together. The interop tests cover Stripe with Stripe's own library instead.
/// </summary>
public sealed class PublishedVectorTests
{
    // GitHub's "Validating webhook deliveries" page (docs.github.com, "Testing the webhook payload validation").
    private const string GitHubSecret = "It's a Secret to Everybody";
    private const string GitHubBody = "Hello, World!";
    private const string GitHubSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    // The Standard Webhooks specification repository's own library tests (standard-webhooks/standard-webhooks).
    private const string StandardWebhooksSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string StandardWebhooksId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long StandardWebhooksTimestamp = 1614265330;
    private const string StandardWebhooksBody = "{\"test\": 2432232314}";
    private const string StandardWebhooksSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    // Slack's "Verifying requests from Slack" page (api.slack.com/authentication/verifying-requests-from-slack).
    private const string SlackSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const long SlackTimestamp = 1531420618;
    private const string SlackBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string SlackSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    // Twilio's request validation sample (TwilioDevEd/api-snippets, security/signature_validation), which Twilio's
    // "Webhooks security" page shows: POST to https://mycompany.com/myapp.php?foo=1&bar=2 with these parameters.
    private const string TwilioToken = "12345";
    private const string TwilioUrl = "https://mycompany.com/myapp.php";
    private const string TwilioQuery = "?foo=1&bar=2";
    private const string TwilioBody = "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";
    private const string TwilioSignature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    [Fact]
    public void GitHub_DocsExampleAccepted()
    {
        var verifier = Create(VerificationProviders.GitHub, GitHubSecret, DateTimeOffset.UnixEpoch);

        var result = verifier.Verify(Request(GitHubBody, ("X-Hub-Signature-256", GitHubSignature)));

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void GitHub_DocsExampleChangedByteRejected()
    {
        var verifier = Create(VerificationProviders.GitHub, GitHubSecret, DateTimeOffset.UnixEpoch);

        var result = verifier.Verify(Request("Hello, World?", ("X-Hub-Signature-256", GitHubSignature)));

        Assert.False(result.IsValid);
        Assert.Equal(VerificationFailures.SignatureMismatch, result.Reason);
    }

    [Fact]
    public void StandardWebhooks_SpecExampleAccepted()
    {
        var verifier = Create(VerificationProviders.StandardWebhooks, StandardWebhooksSecret, DateTimeOffset.FromUnixTimeSeconds(StandardWebhooksTimestamp + 10));

        var result = verifier.Verify(Request(
            StandardWebhooksBody,
            ("webhook-id", StandardWebhooksId),
            ("webhook-timestamp", StandardWebhooksTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("webhook-signature", StandardWebhooksSignature)));

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void StandardWebhooks_SpecExampleUnderSvixHeadersAccepted()
    {
        var verifier = Create(VerificationProviders.StandardWebhooks, StandardWebhooksSecret, DateTimeOffset.FromUnixTimeSeconds(StandardWebhooksTimestamp));

        var result = verifier.Verify(Request(
            StandardWebhooksBody,
            ("svix-id", StandardWebhooksId),
            ("svix-timestamp", StandardWebhooksTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("svix-signature", StandardWebhooksSignature)));

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void StandardWebhooks_SpecExampleChangedByteRejected()
    {
        var verifier = Create(VerificationProviders.StandardWebhooks, StandardWebhooksSecret, DateTimeOffset.FromUnixTimeSeconds(StandardWebhooksTimestamp));

        var result = verifier.Verify(Request(
            "{\"test\": 2432232315}",
            ("webhook-id", StandardWebhooksId),
            ("webhook-timestamp", StandardWebhooksTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("webhook-signature", StandardWebhooksSignature)));

        Assert.False(result.IsValid);
        Assert.Equal(VerificationFailures.SignatureMismatch, result.Reason);
    }

    [Fact]
    public void StandardWebhooks_SpecExampleAnHourLaterRejected()
    {
        var verifier = Create(VerificationProviders.StandardWebhooks, StandardWebhooksSecret, DateTimeOffset.FromUnixTimeSeconds(StandardWebhooksTimestamp + 3600));

        var result = verifier.Verify(Request(
            StandardWebhooksBody,
            ("webhook-id", StandardWebhooksId),
            ("webhook-timestamp", StandardWebhooksTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("webhook-signature", StandardWebhooksSignature)));

        Assert.False(result.IsValid);
        Assert.Equal(VerificationFailures.TimestampOutOfTolerance, result.Reason);
    }

    [Fact]
    public void Slack_DocsExampleAccepted()
    {
        var verifier = Create(VerificationProviders.Slack, SlackSecret, DateTimeOffset.FromUnixTimeSeconds(SlackTimestamp));

        var result = verifier.Verify(Request(
            SlackBody,
            ("X-Slack-Request-Timestamp", SlackTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("X-Slack-Signature", SlackSignature)));

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void Slack_DocsExampleChangedByteRejected()
    {
        var verifier = Create(VerificationProviders.Slack, SlackSecret, DateTimeOffset.FromUnixTimeSeconds(SlackTimestamp));

        var result = verifier.Verify(Request(
            SlackBody.Replace("roadrunner", "roadrunnes", StringComparison.Ordinal),
            ("X-Slack-Request-Timestamp", SlackTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("X-Slack-Signature", SlackSignature)));

        Assert.False(result.IsValid);
        Assert.Equal(VerificationFailures.SignatureMismatch, result.Reason);
    }

    [Fact]
    public void Twilio_DocsExampleAccepted()
    {
        var verifier = CreateTwilio();

        var result = verifier.Verify(Request(TwilioBody, TwilioQuery, "application/x-www-form-urlencoded", ("X-Twilio-Signature", TwilioSignature)));

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void Twilio_DocsExampleChangedDigitsRejected()
    {
        var verifier = CreateTwilio();

        var result = verifier.Verify(Request(TwilioBody.Replace("Digits=1234", "Digits=1235", StringComparison.Ordinal), TwilioQuery, "application/x-www-form-urlencoded", ("X-Twilio-Signature", TwilioSignature)));

        Assert.False(result.IsValid);
        Assert.Equal(VerificationFailures.SignatureMismatch, result.Reason);
    }

    private static IRequestVerifier Create(string provider, string secret, DateTimeOffset now) =>
        VerifierFactory.Create(new VerificationSpec { Provider = provider }, [Encoding.UTF8.GetBytes(secret)], new FixedClock(now));

    private static IRequestVerifier CreateTwilio() =>
        VerifierFactory.Create(
            new VerificationSpec { Provider = VerificationProviders.Twilio, Twilio = new TwilioSpec { PublicUrl = TwilioUrl } },
            [Encoding.UTF8.GetBytes(TwilioToken)],
            TimeProvider.System);

    private static IncomingRequest Request(string body, params (string Name, string Value)[] headers) =>
        Request(body, "", "application/json", headers);

    private static IncomingRequest Request(string body, string query, string contentType, params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary { ["Content-Type"] = contentType };
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        return new IncomingRequest("POST", "/e/default/test", new QueryString(query), dictionary, Encoding.UTF8.GetBytes(body), DateTimeOffset.UnixEpoch);
    }
}
