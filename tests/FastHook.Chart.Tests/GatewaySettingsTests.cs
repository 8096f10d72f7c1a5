using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

/// <summary>
/// The gateway settings file as the chart renders it: its keys, the checks the chart makes before it writes the
/// file, and that it never contains a secret value. GatewaySettingsContractTests loads it with the operator.
/// </summary>
public sealed class GatewaySettingsTests
{
    /// <summary>The keys the chart always writes. docs/helm.md maps each one to its values.</summary>
    private static readonly string[] AlwaysWritten =
    [
        "instance", "image", "imagePullPolicy", "imagePullSecrets", "replicas", "resources", "service",
        "podDisruptionBudget", "topologySpreadConstraints", "podSecurityContext", "securityContext", "redis",
        "adminToken", "serviceAccountName",
    ];

    /// <summary>The keys the chart writes only when their feature is on.</summary>
    private static readonly string[] WrittenWhenSet = ["ingress", "publicUrl"];

    [Fact]
    public void Settings_Defaults_WriteAlwaysWrittenKeys()
    {
        var settings = ReadSettings(HelmChart.Template());

        Assert.Equal(AlwaysWritten.Order(StringComparer.Ordinal), settings.Keys.Cast<string>().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Settings_AllFeatures_AddIngressAndPublicUrl()
    {
        var settings = ReadSettings(HelmChart.Template(HelmChart.ValueSetArguments("all-features")));

        Assert.Equal(AlwaysWritten.Concat(WrittenWhenSet).Order(StringComparer.Ordinal), settings.Keys.Cast<string>().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Settings_WrittenKeys_AppearInHelmGuide()
    {
        var guide = File.ReadAllText(RepositoryPaths.HelmGuide);

        foreach (var key in AlwaysWritten.Concat(WrittenWhenSet))
        {
            Assert.True(guide.Contains($"`{key}`", StringComparison.Ordinal), $"docs/helm.md does not describe the settings key `{key}`");
        }
    }

    [Fact]
    public void TopologySpread_WithoutSelector_GetsGatewayLabels()
    {
        var settings = ReadSettings(HelmChart.Template());

        var constraint = YamlNodes.Map(YamlNodes.GetList(settings, "topologySpreadConstraints").Single(), "topologySpreadConstraints[0]");

        var labels = YamlNodes.GetMap(constraint, "labelSelector.matchLabels");
        Assert.Equal("fasthook", labels["app.kubernetes.io/name"]);
        Assert.Equal(HelmChart.Release, labels["app.kubernetes.io/instance"]);
        Assert.Equal("gateway", labels["app.kubernetes.io/component"]);
        Assert.Equal("kubernetes.io/hostname", constraint["topologyKey"]);
    }

    [Fact]
    public void DisruptionBudget_Disabled_WritesOnlyEnabled()
    {
        var settings = ReadSettings(HelmChart.Template("--set", "gateway.podDisruptionBudget.enabled=false", "--set", "gateway.podDisruptionBudget.maxUnavailable=1"));

        var budget = YamlNodes.GetMap(settings, "podDisruptionBudget");

        Assert.Equal(["enabled"], budget.Keys.Cast<string>());
        Assert.Equal("false", budget["enabled"]);
    }

    [Fact]
    public void DisruptionBudget_BothLimits_FailsWithMessage()
    {
        var result = HelmChart.TryTemplate(["--set", "gateway.podDisruptionBudget.maxUnavailable=1"]);

        Assert.False(result.Succeeded);
        Assert.Contains("gateway.podDisruptionBudget sets both minAvailable and maxUnavailable", result.Error);
    }

    [Fact]
    public void DisruptionBudget_NoLimit_FailsWithMessage()
    {
        var result = HelmChart.TryTemplate(["--set", "gateway.podDisruptionBudget.minAvailable=null"]);

        Assert.False(result.Succeeded);
        Assert.Contains("gateway.podDisruptionBudget needs minAvailable or maxUnavailable", result.Error);
    }

    [Fact]
    public void Ingress_WithoutHost_FailsWithMessage()
    {
        var result = HelmChart.TryTemplate(["--set", "gateway.ingress.enabled=true"]);

        Assert.False(result.Succeeded);
        Assert.Contains("gateway.ingress.host is required", result.Error);
    }

    [Fact]
    public void IngressTls_WithoutSecret_FailsWithMessage()
    {
        var result = HelmChart.TryTemplate([
            "--set", "gateway.ingress.enabled=true", "--set", "gateway.ingress.host=hooks.example.com", "--set", "gateway.ingress.tls.enabled=true",
        ]);

        Assert.False(result.Succeeded);
        Assert.Contains("gateway.ingress.tls.secretName is required", result.Error);
    }

    [Fact]
    public void GatewayServiceAccount_ExistingWithoutName_Fails()
    {
        var result = HelmChart.TryTemplate(["--set", "gateway.serviceAccount.create=false"]);

        Assert.False(result.Succeeded);
        Assert.Contains("gateway.serviceAccount.name is required when gateway.serviceAccount.create is false", result.Error);
    }

    [Theory]
    [InlineData("redis.bundled.auth.password=visible-only-in-secrets", "visible-only-in-secrets")]
    [InlineData("redis.external.url=rediss://fasthook:visible-only-in-secrets@redis.example.internal:6380", "visible-only-in-secrets")]
    public void Settings_RedisPassword_StaysInSecrets(string value, string password)
    {
        var arguments = value.StartsWith("redis.external", StringComparison.Ordinal)
            ? new[] { "--set", "redis.bundled.enabled=false", "--set", value }
            : ["--set", value];
        var chart = HelmChart.Template(arguments);

        var text = RenderedSettings.Text(chart);

        Assert.DoesNotContain(password, text);
        Assert.Contains(chart.OfKind("Secret"), secret => secret.Find("data.url") is string url && DecodeBase64(url).Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public void Settings_GeneratedAdminToken_StaysInSecret()
    {
        var chart = HelmChart.Template();

        var token = DecodeBase64(chart.Single("Secret", "fasthook-admin-token").GetScalar("data.token"));

        Assert.Equal(48, token.Length);
        Assert.DoesNotContain(token, RenderedSettings.Text(chart));
    }

    internal static Dictionary<object, object?> ReadSettings(RenderedChart chart) =>
        YamlNodes.Map(YamlNodes.Parse(RenderedSettings.Text(chart)), RenderedSettings.ConfigMapKey);

    private static string DecodeBase64(string value) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(value));
}
