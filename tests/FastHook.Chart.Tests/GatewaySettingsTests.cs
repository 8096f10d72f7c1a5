using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

/// <summary>
/// The gateway settings file that the operator reads, checked against the schema docs/helm.md describes.
/// </summary>
public sealed class GatewaySettingsTests
{
    private static readonly string[] DocumentedFields =
    [
        "version", "name", "instance", "replicas", "image", "imagePullSecrets", "resources", "service", "ingress",
        "podDisruptionBudget", "topologySpreadConstraints", "podSecurityContext", "securityContext", "redis",
    ];

    [Fact]
    public void Settings_Defaults_HaveEveryDocumentedField()
    {
        var settings = ReadSettings(HelmChart.Template());

        Assert.Equal(DocumentedFields.Order(StringComparer.Ordinal), settings.Keys.Cast<string>().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Settings_DocumentedFields_AppearInHelmGuide()
    {
        var guide = File.ReadAllText(RepositoryPaths.HelmGuide);

        foreach (var field in DocumentedFields)
        {
            Assert.True(guide.Contains($"`{field}`", StringComparison.Ordinal), $"docs/helm.md does not describe the settings field `{field}`");
        }
    }

    [Fact]
    public void Settings_Defaults_NameReleaseAndImage()
    {
        var appVersion = YamlNodes.GetScalar(YamlNodes.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "Chart.yaml"))), "appVersion");

        var settings = ReadSettings(HelmChart.Template());

        Assert.Equal("1", settings["version"]);
        Assert.Equal("fasthook-gateway", settings["name"]);
        Assert.Equal(HelmChart.Release, settings["instance"]);
        Assert.Equal("2", settings["replicas"]);
        Assert.Equal("ghcr.io/fasthook/fasthook", YamlNodes.GetScalar(settings, "image.repository"));
        Assert.Equal(appVersion, YamlNodes.GetScalar(settings, "image.tag"));
        Assert.Equal("IfNotPresent", YamlNodes.GetScalar(settings, "image.pullPolicy"));
        Assert.Equal("fasthook-redis-url", YamlNodes.GetScalar(settings, "redis.urlSecretRef.name"));
        Assert.Equal("url", YamlNodes.GetScalar(settings, "redis.urlSecretRef.key"));
    }

    [Fact]
    public void Settings_AllFeatures_CarryIngressServiceAndBudget()
    {
        var settings = ReadSettings(HelmChart.Template(HelmChart.ValueSetArguments("all-features")));

        Assert.Equal("3", settings["replicas"]);
        Assert.Equal("0.1.0-rc.1", YamlNodes.GetScalar(settings, "image.tag"));
        Assert.Equal("LoadBalancer", YamlNodes.GetScalar(settings, "service.type"));
        Assert.Equal("nlb", YamlNodes.GetMap(settings, "service.annotations")["service.beta.kubernetes.io/aws-load-balancer-type"]);
        Assert.Equal("true", YamlNodes.GetScalar(settings, "ingress.enabled"));
        Assert.Equal("hooks.example.com", YamlNodes.GetScalar(settings, "ingress.host"));
        Assert.Equal("nginx", YamlNodes.GetScalar(settings, "ingress.className"));
        Assert.Equal("hooks-example-com-tls", YamlNodes.GetScalar(settings, "ingress.tls.secretName"));
        Assert.Equal("50%", YamlNodes.GetScalar(settings, "podDisruptionBudget.maxUnavailable"));
        Assert.Null(YamlNodes.Find(settings, "podDisruptionBudget.minAvailable"));
        Assert.Equal("registry-credentials", YamlNodes.GetScalar(YamlNodes.GetList(settings, "imagePullSecrets")[0], "name"));
    }

    [Fact]
    public void Settings_ExistingSecret_ReferencesIt()
    {
        var settings = ReadSettings(HelmChart.Template(HelmChart.ValueSetArguments("existing-secret")));

        Assert.Equal("team-redis", YamlNodes.GetScalar(settings, "redis.urlSecretRef.name"));
        Assert.Equal("connection-url", YamlNodes.GetScalar(settings, "redis.urlSecretRef.key"));
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
    public void Settings_Defaults_ContainNoSecretValue()
    {
        var chart = HelmChart.Template("--set", "redis.bundled.auth.password=visible-only-in-secrets");

        var text = YamlNodes.Scalar(chart.Single("ConfigMap", "fasthook-gateway-settings").GetMap("data")["gateway.yaml"], "gateway.yaml");

        Assert.DoesNotContain("visible-only-in-secrets", text);
    }

    internal static Dictionary<object, object?> ReadSettings(RenderedChart chart)
    {
        var configMap = chart.Single("ConfigMap", "fasthook-gateway-settings");
        var text = YamlNodes.Scalar(configMap.GetMap("data")["gateway.yaml"], "data[gateway.yaml]");
        return YamlNodes.Map(YamlNodes.Parse(text), "gateway.yaml");
    }
}
