using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Verification;
using Microsoft.AspNetCore.Http;

namespace FastHook.Gateway.Tests.Verification;

/// <summary>
/// One provider preset as the tests drive it: its settings, two usable secrets, and a signer that produces the
/// headers the provider would send. The signers are written from the providers' documentation; the published
/// vectors and the interop tests check that reading against the providers' own examples and libraries.
/// </summary>
public sealed record ProviderSigner(
    string Provider,
    string Secret,
    string OtherSecret,
    string SignatureHeader,
    string? TimestampHeader,
    TimeSpan? Tolerance,
    Func<string, byte[], DateTimeOffset, Dictionary<string, string>> Sign,
    string PrefixOnlySignature,
    bool SignsBody = true,
    string ContentType = "application/json",
    string Query = "")
{
    public VerificationSpec Spec() => new()
    {
        Provider = Provider,
        Twilio = Provider == VerificationProviders.Twilio ? new TwilioSpec { PublicUrl = ProviderSigners.TwilioPublicUrl } : null,
        Hmac = Provider == VerificationProviders.Hmac ? new HmacSpec { Header = "X-Signature", Prefix = "sha256=", TimestampHeader = "X-Timestamp" } : null,
        BasicAuth = Provider == VerificationProviders.BasicAuth ? new BasicAuthSpec { Username = ProviderSigners.BasicAuthUsername } : null,
    };

    /// <summary>Builds the verifier with <paramref name="secrets"/> as secretRef and additionalSecretRefs.</summary>
    public IRequestVerifier Verifier(TimeProvider clock, params string[] secrets) =>
        VerifierFactory.Create(Spec(), secrets.Select(Encoding.UTF8.GetBytes).ToArray(), clock);

    public IncomingRequest Request(byte[] body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        var dictionary = new HeaderDictionary { ["Content-Type"] = ContentType };
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        return new IncomingRequest("POST", "/e/default/" + Provider, new QueryString(Query), dictionary, body, DateTimeOffset.UnixEpoch);
    }

    public override string ToString() => Provider;
}

/// <summary>
/// The signers of every provider that checks a secret, the presets and the generic hmac, basicAuth and apiKey alike.
/// </summary>
public static class ProviderSigners
{
    public const string TwilioPublicUrl = "https://hooks.example.com/e/default/twilio";
    public const string TwilioQuery = "?source=fasthook";
    public const string BasicAuthUsername = "hooks";

    public static readonly ProviderSigner GitHub = new(
        VerificationProviders.GitHub, "It's a Secret to Everybody", "another GitHub secret", "X-Hub-Signature-256", null, null,
        (secret, body, _) => new() { ["X-Hub-Signature-256"] = "sha256=" + HexHmacSha256(secret, body) },
        "sha256=");

    public static readonly ProviderSigner GitLab = new(
        VerificationProviders.GitLab, "gitlab-token-1", "gitlab-token-2", "X-Gitlab-Token", null, null,
        (secret, _, _) => new() { ["X-Gitlab-Token"] = secret },
        "gitlab-", SignsBody: false);

    public static readonly ProviderSigner Stripe = new(
        VerificationProviders.Stripe, "whsec_test_stripe_secret_one", "whsec_test_stripe_secret_two", "Stripe-Signature", null, TimeSpan.FromMinutes(5),
        (secret, body, at) =>
        {
            var t = Seconds(at);
            return new() { ["Stripe-Signature"] = $"t={t},v1={HexHmacSha256(secret, Concat(t + ".", body))}" };
        },
        "t={0},v1=");

    public static readonly ProviderSigner Shopify = new(
        VerificationProviders.Shopify, "shopify-client-secret-1", "shopify-client-secret-2", "X-Shopify-Hmac-Sha256", null, null,
        (secret, body, _) => new() { ["X-Shopify-Hmac-Sha256"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)) },
        "");

    public static readonly ProviderSigner Slack = new(
        VerificationProviders.Slack, "8f742231b10e8888abcd99yyyzzz85a5", "slack-signing-secret-two", "X-Slack-Signature", "X-Slack-Request-Timestamp", TimeSpan.FromMinutes(5),
        (secret, body, at) =>
        {
            var t = Seconds(at);
            return new()
            {
                ["X-Slack-Request-Timestamp"] = t,
                ["X-Slack-Signature"] = "v0=" + HexHmacSha256(secret, Concat($"v0:{t}:", body)),
            };
        },
        "v0=");

    public static readonly ProviderSigner StandardWebhooks = new(
        VerificationProviders.StandardWebhooks, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_dGhlIG90aGVyIHNlY3JldCBmb3IgdGVzdHM=", "webhook-signature", "webhook-timestamp", TimeSpan.FromMinutes(5),
        (secret, body, at) =>
        {
            var t = Seconds(at);
            var key = Convert.FromBase64String(secret["whsec_".Length..]);
            return new()
            {
                ["webhook-id"] = "msg_test_1",
                ["webhook-timestamp"] = t,
                ["webhook-signature"] = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Concat($"msg_test_1.{t}.", body))),
            };
        },
        "v1,");

    public static readonly ProviderSigner Twilio = new(
        VerificationProviders.Twilio, "twilio-auth-token-one", "twilio-auth-token-two", "X-Twilio-Signature", null, null,
        (secret, body, _) => new() { ["X-Twilio-Signature"] = TwilioSignature(secret, TwilioPublicUrl + TwilioQuery, Encoding.UTF8.GetString(body)) },
        "",
        ContentType: "application/x-www-form-urlencoded",
        Query: TwilioQuery);

    public static readonly ProviderSigner Twitch = new(
        VerificationProviders.Twitch, "twitch-eventsub-secret-1", "twitch-eventsub-secret-2", "Twitch-Eventsub-Message-Signature", "Twitch-Eventsub-Message-Timestamp", TimeSpan.FromMinutes(10),
        (secret, body, at) =>
        {
            var timestamp = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            return new()
            {
                ["Twitch-Eventsub-Message-Id"] = "befa7b53-d79d-478f-86b9-120f112b044e",
                ["Twitch-Eventsub-Message-Timestamp"] = timestamp,
                ["Twitch-Eventsub-Message-Type"] = "notification",
                ["Twitch-Eventsub-Message-Signature"] = "sha256=" + HexHmacSha256(secret, Concat("befa7b53-d79d-478f-86b9-120f112b044e" + timestamp, body)),
            };
        },
        "sha256=");

    public static readonly ProviderSigner Paddle = new(
        VerificationProviders.Paddle, "pdl_ntfset_test_secret_one", "pdl_ntfset_test_secret_two", "Paddle-Signature", null, TimeSpan.FromSeconds(5),
        (secret, body, at) =>
        {
            var t = Seconds(at);
            return new() { ["Paddle-Signature"] = $"ts={t};h1={HexHmacSha256(secret, Concat(t + ":", body))}" };
        },
        "ts={0};h1=");

    public static readonly ProviderSigner Hmac = new(
        VerificationProviders.Hmac, "generic-hmac-secret-1", "generic-hmac-secret-2", "X-Signature", "X-Timestamp", TimeSpan.FromMinutes(5),
        (secret, body, at) =>
        {
            var t = Seconds(at);
            return new()
            {
                ["X-Timestamp"] = t,
                ["X-Signature"] = "sha256=" + HexHmacSha256(secret, Concat(t + ".", body)),
            };
        },
        "sha256=");

    public static readonly ProviderSigner BasicAuth = new(
        VerificationProviders.BasicAuth, "basic-password-1", "basic-password-2", "Authorization", null, null,
        (secret, _, _) => new() { ["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{BasicAuthUsername}:{secret}")) },
        "Basic ", SignsBody: false);

    public static readonly ProviderSigner ApiKey = new(
        VerificationProviders.ApiKey, "api-key-1", "api-key-2", "X-Api-Key", null, null,
        (secret, _, _) => new() { ["X-Api-Key"] = secret },
        "api-key-", SignsBody: false);

    public static IEnumerable<ProviderSigner> All => [GitHub, GitLab, Stripe, Shopify, Slack, StandardWebhooks, Twilio, Twitch, Paddle, Hmac, BasicAuth, ApiKey];

    public static string HexHmacSha256(string secret, byte[] data) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));

    /// <summary>
    /// Signs a Twilio form request: the URL, then each parameter name and value, sorted by name.
    /// </summary>
    public static string TwilioSignature(string authToken, string url, string form)
    {
        var signed = new StringBuilder(url);
        var pairs = form.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Name: Uri.UnescapeDataString(parts[0].Replace('+', ' ')), Value: parts.Length > 1 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : ""))
            .OrderBy(pair => pair.Name, StringComparer.Ordinal)
            .ThenBy(pair => pair.Value, StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            signed.Append(name).Append(value);
        }

#pragma warning disable CA5350 // Twilio defines its signature as HMAC-SHA1.
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(signed.ToString())));
#pragma warning restore CA5350
    }

    public static string Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public static byte[] Concat(string prefix, byte[] body) => [.. Encoding.UTF8.GetBytes(prefix), .. body];
}
