using System.Security.Cryptography;
using FastHook.Api;
using FastHook.Api.V1Alpha1;

namespace FastHook.Gateway.Verification;

/// <summary>
/// Builds the verifier for a source's <c>spec.verification</c> from validated settings and resolved secrets.
/// </summary>
public static class VerifierFactory
{
    /// <summary>The timestamp tolerance when a source sets none; Standard Webhooks, Stripe and Slack all use five minutes.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Twitch's EventSub documentation requires receivers to reject messages older than ten minutes.</summary>
    public static readonly TimeSpan TwitchTolerance = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Paddle's own SDK (@paddle/paddle-node-sdk, WebhooksValidator.MAX_VALID_TIME_DIFFERENCE) allows five seconds.
    /// </summary>
    public static readonly TimeSpan PaddleTolerance = TimeSpan.FromSeconds(5);

    /// <param name="spec">The validated verification settings.</param>
    /// <param name="secrets">The values of secretRef and additionalSecretRefs, in that order, as stored in the Secret.</param>
    /// <param name="clock">The clock timestamped schemes compare against.</param>
    public static IRequestVerifier Create(VerificationSpec spec, IReadOnlyList<byte[]> secrets, TimeProvider clock)
    {
        var tolerance = Durations.ParseOrDefault(spec.Tolerance, DefaultToleranceOf(spec.Provider));
        return spec.Provider switch
        {
            VerificationProviders.None => new NoVerification(),
            VerificationProviders.GitHub => new GitHubVerifier(secrets),
            VerificationProviders.GitLab => new ApiKeyVerifier(ApiKeyVerifier.GitLabHeader, secrets),
            VerificationProviders.Stripe => new TimestampedSignatureVerifier(TimestampedSignatureScheme.Stripe, secrets, tolerance, clock),
            VerificationProviders.Shopify => new HmacVerifier(secrets, ShopifyHeader, HashAlgorithmName.SHA256, base64: true, prefix: "", timestampHeader: null, tolerance, clock),
            VerificationProviders.Slack => new SlackVerifier(secrets, tolerance, clock),
            VerificationProviders.StandardWebhooks => new StandardWebhooksVerifier(DecodeStandardWebhooksKeys(secrets), tolerance, clock),
            VerificationProviders.Twilio => new TwilioVerifier(secrets, spec.Twilio!.PublicUrl!),
            VerificationProviders.Twitch => new TwitchVerifier(secrets, tolerance, clock),
            VerificationProviders.Paddle => new TimestampedSignatureVerifier(TimestampedSignatureScheme.Paddle, secrets, tolerance, clock),
            VerificationProviders.Hmac => CreateHmac(spec.Hmac!, secrets, tolerance, clock),
            VerificationProviders.BasicAuth => new BasicAuthVerifier(spec.BasicAuth!.Username!, secrets),
            VerificationProviders.ApiKey => new ApiKeyVerifier(spec.ApiKey?.Header ?? ApiKeyVerifier.DefaultHeader, secrets),
            _ => throw new ArgumentException($"The verification provider \"{spec.Provider}\" is not supported.", nameof(spec)),
        };
    }

    /// <summary>Shopify's header: the base64 HMAC-SHA256 of the raw body, keyed with the app's client secret.</summary>
    public const string ShopifyHeader = "X-Shopify-Hmac-Sha256";

    /// <summary>Returns the tolerance a provider gets when the source sets none.</summary>
    public static TimeSpan DefaultToleranceOf(string? provider) => provider switch
    {
        VerificationProviders.Twitch => TwitchTolerance,
        VerificationProviders.Paddle => PaddleTolerance,
        _ => DefaultTolerance,
    };

    private static HmacVerifier CreateHmac(HmacSpec hmac, IReadOnlyList<byte[]> secrets, TimeSpan tolerance, TimeProvider clock)
    {
        var algorithm = (hmac.Algorithm ?? "sha256") switch
        {
            "sha1" => HashAlgorithmName.SHA1,
            "sha512" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };

        return new HmacVerifier(secrets, hmac.Header!, algorithm, hmac.Encoding == "base64", hmac.Prefix ?? "", hmac.TimestampHeader, tolerance, clock);
    }

    private static byte[][] DecodeStandardWebhooksKeys(IReadOnlyList<byte[]> secrets) =>
        secrets.Select(secret => StandardWebhooksSecret.TryDecode(secret, out var key, out var problem)
            ? key
            : throw new ArgumentException($"A Standard Webhooks secret is unusable: {problem}", nameof(secrets))).ToArray();
}
