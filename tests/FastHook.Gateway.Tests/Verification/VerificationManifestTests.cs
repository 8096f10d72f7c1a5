using FastHook.Api.Manifests;

namespace FastHook.Gateway.Tests.Verification;

/// <summary>
/// Manifest validation of verification and deduplication settings: every unusable secret and every setting that
/// does not fit the chosen provider is an error naming the file, the resource and the field, without the secret.
/// </summary>
public sealed class VerificationManifestTests
{
    private const string File = "sources.yaml";

    public static TheoryData<string, string> UsableSecrets => new()
    {
        { "github", "It's a Secret to Everybody" },
        { "gitlab", "gitlab-token" },
        { "stripe", "whsec_test_endpoint_secret" },
        { "shopify", "shopify-client-secret" },
        { "slack", "8f742231b10e8888abcd99yyyzzz85a5" },
        { "standardWebhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
        { "twitch", "twitch-eventsub-secret" },
        { "paddle", "pdl_ntfset_test_secret" },
        { "apiKey", "key-1" },
    };

    [Theory]
    [MemberData(nameof(UsableSecrets))]
    public void UsableSecret_NoErrors(string provider, string secret)
    {
        var errors = Validate(Source($"provider: {provider}", secret));

        Assert.Empty(errors);
    }

    [Fact]
    public void TwilioWithPublicUrl_NoErrors()
    {
        var errors = Validate(Source("provider: twilio\n    twilio: {publicUrl: \"https://hooks.example.com/e/default/hook\"}", "twilio-token"));

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("github")]
    [InlineData("stripe")]
    [InlineData("slack")]
    [InlineData("twitch")]
    [InlineData("paddle")]
    [InlineData("standardWebhooks")]
    public void EmptySecret_NamesFileResourceAndField(string provider)
    {
        var error = Assert.Single(Validate(Source($"provider: {provider}", "")));

        Assert.Equal(File, error.File);
        Assert.Equal("WebhookSource default/hook", error.Resource);
        Assert.Equal("spec.verification.secretRef", error.Field);
        Assert.Contains("is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StandardWebhooksSecretWithInvalidBase64_Error()
    {
        var error = Assert.Single(Validate(Source("provider: standardWebhooks", "whsec_not*base64!")));

        Assert.Equal("spec.verification.secretRef", error.Field);
        Assert.Contains("not valid base64", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not*base64!", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StripeApiKeyInsteadOfSigningSecret_Error()
    {
        var error = Assert.Single(Validate(Source("provider: stripe", "sk_test_abcdefghijklmnop")));

        Assert.Equal("spec.verification.secretRef", error.Field);
        Assert.Contains("whsec_", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk_test_abcdefghijklmnop", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretWithTrailingNewline_Error()
    {
        var error = Assert.Single(Validate(Source("provider: slack", "slack-secret\\n")));

        Assert.Contains("whitespace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwitchSecretTooShort_Error()
    {
        var error = Assert.Single(Validate(Source("provider: twitch", "short")));

        Assert.Contains("10 to 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnusableAdditionalSecret_NamesItsIndex()
    {
        var yaml = Source("provider: github\n    additionalSecretRefs: [{name: hook, key: secret}, {name: hook, key: empty}]", "github-secret");

        var error = Assert.Single(Validate(yaml));

        Assert.Equal("spec.verification.additionalSecretRefs[1]", error.Field);
    }

    [Fact]
    public void TwilioWithoutPublicUrl_Error()
    {
        var error = Assert.Single(Validate(Source("provider: twilio", "twilio-token")));

        Assert.Equal("spec.verification.twilio.publicUrl", error.Field);
    }

    [Fact]
    public void TwilioPublicUrlWithQuery_Error()
    {
        var error = Assert.Single(Validate(Source("provider: twilio\n    twilio: {publicUrl: \"https://hooks.example.com/hook?a=1\"}", "twilio-token")));

        Assert.Equal("spec.verification.twilio.publicUrl", error.Field);
        Assert.Contains("query string", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("twilio: {publicUrl: \"https://hooks.example.com/hook\"}", "spec.verification.twilio")]
    [InlineData("hmac: {header: X-Signature}", "spec.verification.hmac")]
    [InlineData("basicAuth: {username: hooks}", "spec.verification.basicAuth")]
    [InlineData("apiKey: {header: X-Key}", "spec.verification.apiKey")]
    [InlineData("tolerance: 5m", "spec.verification.tolerance")]
    public void SettingsOfAnotherProvider_Error(string settings, string field)
    {
        var error = Assert.Single(Validate(Source("provider: github\n    " + settings, "github-secret")));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void HmacToleranceWithoutTimestampHeader_Error()
    {
        var error = Assert.Single(Validate(Source("provider: hmac\n    hmac: {header: X-Signature}\n    tolerance: 1m", "hmac-secret")));

        Assert.Equal("spec.verification.tolerance", error.Field);
    }

    [Fact]
    public void StripeTolerance_NoErrors()
    {
        var errors = Validate(Source("provider: stripe\n    tolerance: 10m", "whsec_test_endpoint_secret"));

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("{header: X-GitHub-Delivery}")]
    [InlineData("{jsonField: event.id, window: 72h}")]
    public void Deduplication_NoErrors(string deduplication)
    {
        var errors = Validate(Source("provider: github", "github-secret", "  deduplication: " + deduplication));

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("{header: X-GitHub-Delivery, jsonField: id}", "spec.deduplication")]
    [InlineData("{window: 1h}", "spec.deduplication")]
    [InlineData("{header: \"Bad Header\"}", "spec.deduplication.header")]
    [InlineData("{jsonField: \"event..id\"}", "spec.deduplication.jsonField")]
    [InlineData("{header: webhook-id, window: 0s}", "spec.deduplication.window")]
    public void InvalidDeduplication_Error(string deduplication, string field)
    {
        var error = Assert.Single(Validate(Source("provider: github", "github-secret", "  deduplication: " + deduplication)));

        Assert.Equal(field, error.Field);
    }

    private static string Source(string verification, string secret, string extra = "") => $$"""
        apiVersion: v1
        kind: Secret
        metadata: {name: hook}
        stringData: {secret: "{{secret}}", empty: ""}
        ---
        apiVersion: fasthook.io/v1alpha1
        kind: WebhookSource
        metadata: {name: hook}
        spec:
          verification:
            {{verification}}
            secretRef: {name: hook, key: secret}
        {{extra}}
        """;

    private static IReadOnlyList<ManifestError> Validate(string yaml)
    {
        var errors = new List<ManifestError>();
        var set = new ManifestSet();
        ManifestLoader.LoadText(set, File, yaml, errors);
        Assert.Empty(errors);
        return ManifestValidator.Validate(set);
    }
}
