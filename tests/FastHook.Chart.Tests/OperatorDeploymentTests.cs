using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

public sealed class OperatorDeploymentTests
{
    private static readonly string[] ContractArguments =
    [
        "operator",
        "--gateway-namespace", HelmChart.Namespace,
        "--gateway-settings", "/etc/fasthook/gateway.yaml",
        "--metrics-urls", "http://0.0.0.0:9091",
        "--leader-election",
    ];

    [Fact]
    public void OperatorArgs_Defaults_MatchContract()
    {
        var container = OperatorContainer(HelmChart.Template());

        Assert.Equal(ContractArguments, YamlNodes.Strings(container["args"], "args"));
    }

    [Fact]
    public void OperatorArgs_WatchNamespaces_PassNamespacesOnce()
    {
        var chart = HelmChart.Template("--set", "watchNamespaces={team-a,team-b,team-a}");

        var arguments = YamlNodes.Strings(OperatorContainer(chart)["args"], "args");

        Assert.Equal([.. ContractArguments, "--namespaces", "team-a,team-b"], arguments);
    }

    [Fact]
    public void OperatorImage_Defaults_UseAppVersion()
    {
        var appVersion = YamlNodes.GetScalar(YamlNodes.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "Chart.yaml"))), "appVersion");

        var container = OperatorContainer(HelmChart.Template());

        Assert.Equal($"ghcr.io/fasthook/fasthook:{appVersion}", container["image"]);
        Assert.Equal("IfNotPresent", container["imagePullPolicy"]);
    }

    [Fact]
    public void OperatorImage_Digest_ReplacesTag()
    {
        var digest = "sha256:" + new string('a', 64);

        var container = OperatorContainer(HelmChart.Template("--set", "image.digest=" + digest));

        Assert.Equal($"ghcr.io/fasthook/fasthook@{digest}", container["image"]);
    }

    [Fact]
    public void OperatorProbes_Defaults_UseHealthEndpoints()
    {
        var container = OperatorContainer(HelmChart.Template());

        Assert.Equal("/healthz", YamlNodes.GetScalar(container, "livenessProbe.httpGet.path"));
        Assert.Equal("metrics", YamlNodes.GetScalar(container, "livenessProbe.httpGet.port"));
        Assert.Equal("/readyz", YamlNodes.GetScalar(container, "readinessProbe.httpGet.path"));
        Assert.Equal("metrics", YamlNodes.GetScalar(container, "readinessProbe.httpGet.port"));
        var port = YamlNodes.Map(YamlNodes.GetList(container, "ports").Single(), "ports[0]");
        Assert.Equal("metrics", port["name"]);
        Assert.Equal("9091", port["containerPort"]);
    }

    [Fact]
    public void OperatorSettings_Defaults_MountSettingsConfigMap()
    {
        var chart = HelmChart.Template();
        var deployment = chart.Single("Deployment", "fasthook-operator");

        var mount = YamlNodes.GetList(OperatorContainer(chart), "volumeMounts")
            .Select(item => YamlNodes.Map(item, "volumeMount"))
            .Single(item => (item["mountPath"] as string) == "/etc/fasthook");
        var volume = deployment.GetList("spec.template.spec.volumes")
            .Select(item => YamlNodes.Map(item, "volume"))
            .Single(item => Equals(item["name"], mount["name"]));

        Assert.Equal("fasthook-gateway-settings", YamlNodes.GetScalar(volume, "configMap.name"));
        Assert.True(chart.Contains("ConfigMap", "fasthook-gateway-settings"));
    }

    [Theory]
    [InlineData("default", "fasthook-redis-url", "url")]
    [InlineData("external-url", "fasthook-redis-url", "url")]
    [InlineData("existing-secret", "team-redis", "connection-url")]
    public void OperatorRedisUrl_ValueSet_ComesFromSecret(string valueSet, string secret, string key)
    {
        var container = OperatorContainer(HelmChart.Template(HelmChart.ValueSetArguments(valueSet)));

        var variable = YamlNodes.GetList(container, "env")
            .Select(item => YamlNodes.Map(item, "env"))
            .Single(item => (item["name"] as string) == "FASTHOOK_REDIS_URL");
        Assert.Equal(secret, YamlNodes.GetScalar(variable, "valueFrom.secretKeyRef.name"));
        Assert.Equal(key, YamlNodes.GetScalar(variable, "valueFrom.secretKeyRef.key"));
    }

    [Fact]
    public void OperatorReplicas_AllFeatures_FollowValues()
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments("all-features"));

        var deployment = chart.Single("Deployment", "fasthook-operator");

        Assert.Equal("2", deployment.GetScalar("spec.replicas"));
        Assert.Equal("system-cluster-critical", deployment.GetScalar("spec.template.spec.priorityClassName"));
        Assert.Equal("registry-credentials", YamlNodes.GetScalar(deployment.GetList("spec.template.spec.imagePullSecrets")[0], "name"));
    }

    [Fact]
    public void OperatorChecksum_GatewaySettingsChange_ChangesPodTemplate()
    {
        var before = HelmChart.Template().Single("Deployment", "fasthook-operator");
        var after = HelmChart.Template("--set", "gateway.replicas=5").Single("Deployment", "fasthook-operator");

        Assert.NotEqual(
            before.GetScalar("spec.template.metadata.annotations.checksum/gateway-settings"),
            after.GetScalar("spec.template.metadata.annotations.checksum/gateway-settings"));
    }

    [Fact]
    public void MetricsService_Defaults_SelectsOperatorOnPort9091()
    {
        var chart = HelmChart.Template();
        var service = chart.Single("Service", "fasthook-operator-metrics");
        var deployment = chart.Single("Deployment", "fasthook-operator");

        var selector = service.GetMap("spec.selector");
        var podLabels = deployment.GetMap("spec.template.metadata.labels");
        foreach (var (key, value) in selector)
        {
            Assert.Equal(value, podLabels[key]);
        }

        Assert.Equal("operator", selector["app.kubernetes.io/component"]);
        var port = YamlNodes.Map(service.GetList("spec.ports").Single(), "ports[0]");
        Assert.Equal("9091", port["port"]);
        Assert.Equal("metrics", port["name"]);
    }

    private static Dictionary<object, object?> OperatorContainer(RenderedChart chart) =>
        chart.Single("Deployment", "fasthook-operator").Container("operator");
}
