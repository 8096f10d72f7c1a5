using FastHook.Api.Manifests;

namespace FastHook.Api.Tests;

public sealed class FlowControlValidationTests
{
    private const string Base = """
        apiVersion: fasthook.io/v1alpha1
        kind: WebhookSource
        metadata: {name: s}
        spec: {verification: {provider: none}}
        ---
        apiVersion: fasthook.io/v1alpha1
        kind: Destination
        metadata: {name: d}
        spec:
          url: http://127.0.0.1:9000/
        {0}
        ---
        apiVersion: fasthook.io/v1alpha1
        kind: Connection
        metadata: {name: c}
        spec:
          sourceRef: {name: s}
          destinationRef: {name: d}
        {1}
        """;

    [Theory]
    [InlineData("  rateLimit: {per: 1s}", "", "spec.rateLimit.requests")]
    [InlineData("  rateLimit: {requests: 5, per: soon}", "", "spec.rateLimit.per")]
    [InlineData("  circuitBreaker: {failureThreshold: 0}", "", "spec.circuitBreaker.failureThreshold")]
    [InlineData("", "  retry: {strategy: schedule}", "spec.retry.schedule")]
    [InlineData("", "  retry: {strategy: linear, schedule: [1s]}", "spec.retry.schedule")]
    [InlineData("", "  retry: {strategy: schedule, schedule: [1s, later]}", "spec.retry.schedule[1]")]
    [InlineData("", "  delay: tomorrow", "spec.delay")]
    [InlineData("", "  ordering: {header: X-Key, jsonField: key}", "spec.ordering")]
    [InlineData("", "  ordering: {jsonField: a..b}", "spec.ordering.jsonField")]
    public void InvalidSetting_IsReportedOnItsField(string destinationExtra, string connectionExtra, string field)
    {
        var errors = Validate(destinationExtra, connectionExtra);

        Assert.Equal(field, Assert.Single(errors).Field);
    }

    [Fact]
    public void ValidSettings_PassValidation()
    {
        var errors = Validate(
            "  rateLimit: {requests: 10, per: 1m, burst: 5}\n  circuitBreaker: {failureThreshold: 3, coolDown: 30s}",
            "  delay: 5s\n  ordering: {header: X-Shopify-Shop-Domain}\n  retry: {strategy: schedule, schedule: [10s, 1m, 10m], maxAttempts: 6}");

        Assert.Empty(errors);
    }

    private static IReadOnlyList<ManifestError> Validate(string destinationExtra, string connectionExtra)
    {
        var errors = new List<ManifestError>();
        var set = new ManifestSet();
        ManifestLoader.LoadText(set, "flow.yaml", Base.Replace("{0}", destinationExtra, StringComparison.Ordinal).Replace("{1}", connectionExtra, StringComparison.Ordinal), errors);
        errors.AddRange(ManifestValidator.Validate(set));
        return errors;
    }
}
