using FastHook.Chart.Tests.Infrastructure;
using FastHook.Operator.GatewayObjects;
using k8s.Models;

namespace FastHook.Chart.Tests;

/// <summary>
/// The chart's settings file loaded with the operator's own reader (<see cref="GatewaySettings.Load"/>), and the
/// gateway objects the operator builds from it checked against the objects the chart renders next to it: the
/// ServiceAccount, the Role on the routing ConfigMap and Secret, the Redis and admin token Secrets and the
/// PodMonitor's selector.
/// </summary>
public sealed class GatewaySettingsContractTests
{
    [Theory]
    [MemberData(nameof(HelmChart.ValueSets), MemberType = typeof(HelmChart))]
    public void RenderedSettings_ValueSet_LoadInOperator(string valueSet)
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments(valueSet));

        var settings = RenderedSettings.Load(chart);

        Assert.Equal(HelmChart.Release, settings.Instance);
    }

    [Fact]
    public void Defaults_ReachOperator()
    {
        var appVersion = YamlNodes.GetScalar(YamlNodes.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "Chart.yaml"))), "appVersion");

        var settings = RenderedSettings.Load(HelmChart.Template());

        Assert.Equal(2, settings.Replicas);
        Assert.Equal($"ghcr.io/fasthook/fasthook:{appVersion}", settings.Image);
        Assert.Equal("IfNotPresent", settings.ImagePullPolicy);
        Assert.Empty(settings.ImagePullSecrets);
        Assert.Equal("100m", settings.Resources.Requests["cpu"]);
        Assert.Equal("512Mi", settings.Resources.Limits["memory"]);
        Assert.Equal("ClusterIP", settings.Service.Type);
        Assert.Equal(80, settings.Service.Port);
        Assert.Empty(settings.Service.Annotations);
        Assert.Null(settings.Ingress);
        Assert.Null(settings.PublicUrl);
        Assert.True(settings.PodDisruptionBudget.Enabled);
        Assert.Equal("1", settings.PodDisruptionBudget.MinAvailable);
        Assert.Null(settings.PodDisruptionBudget.MaxUnavailable);
        Assert.Equal("kubernetes.io/hostname", Assert.Single(settings.TopologySpreadConstraints).TopologyKey);
        Assert.Equal("fasthook-redis-url", settings.Redis.Name);
        Assert.Equal("url", settings.Redis.Key);
        Assert.Equal("fasthook-admin-token", settings.AdminToken.Name);
        Assert.Equal("token", settings.AdminToken.Key);
        Assert.Equal("fasthook-gateway", settings.ServiceAccountName);
        Assert.Equal(65532, settings.PodSecurityContext.RunAsUser);
        Assert.True(settings.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], settings.SecurityContext.Capabilities.Drop);
    }

    [Fact]
    public void AllFeatures_ReachOperator()
    {
        var settings = RenderedSettings.Load(HelmChart.Template(HelmChart.ValueSetArguments("all-features")));
        var builder = new GatewayObjectBuilder(settings, HelmChart.Namespace);
        var ingress = builder.Ingress();

        Assert.Equal(3, settings.Replicas);
        Assert.Equal("ghcr.io/fasthook/fasthook:0.1.0-rc.1", settings.Image);
        Assert.Equal("registry-credentials", Assert.Single(settings.ImagePullSecrets).Name);
        Assert.Equal("0.5", settings.Resources.Requests["cpu"]);
        Assert.Equal("2", settings.Resources.Limits["cpu"]);
        Assert.Equal("LoadBalancer", settings.Service.Type);
        Assert.Equal("nlb", settings.Service.Annotations["service.beta.kubernetes.io/aws-load-balancer-type"]);
        Assert.Equal("50%", settings.PodDisruptionBudget.MaxUnavailable);
        Assert.Null(settings.PodDisruptionBudget.MinAvailable);
        Assert.Equal("https://hooks.example.com", settings.PublicUrl);
        Assert.Equal("fasthook-redis-url", settings.Redis.Name);
        Assert.NotNull(ingress);
        Assert.Equal("hooks.example.com", ingress.Spec.Rules[0].Host);
        Assert.Equal("nginx", ingress.Spec.IngressClassName);
        Assert.Equal("ImplementationSpecific", ingress.Spec.Rules[0].Http.Paths[0].PathType);
        Assert.Equal("hooks-example-com-tls", Assert.Single(ingress.Spec.Tls).SecretName);
        Assert.Equal("letsencrypt", ingress.Metadata.Annotations["cert-manager.io/cluster-issuer"]);
        Assert.Equal("https://hooks.example.com", builder.IngestBaseUrl);
    }

    [Fact]
    public void ExistingSecrets_ReachOperator()
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments("existing-secret"));

        var settings = RenderedSettings.Load(chart);

        Assert.Equal("team-redis", settings.Redis.Name);
        Assert.Equal("connection-url", settings.Redis.Key);
        Assert.Equal("hooks-admin", settings.AdminToken.Name);
        Assert.Equal("bearer", settings.AdminToken.Key);
        Assert.Equal("hooks-gateway", settings.ServiceAccountName);
        Assert.Empty(chart.OfKind("Secret"));
        Assert.DoesNotContain(chart.OfKind("ServiceAccount"), account => account.Name == "hooks-gateway");
    }

    [Fact]
    public void ExternalRedisUrl_ReachesOperatorAsSecretReference()
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments("external-url"));

        var settings = RenderedSettings.Load(chart);

        Assert.Equal("fasthook-redis-url", settings.Redis.Name);
        Assert.Equal("url", settings.Redis.Key);
        var secret = chart.Single("Secret", settings.Redis.Name);
        var url = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(secret.GetScalar("data.url")));
        Assert.Equal("rediss://fasthook:s3cret@redis.example.internal:6380/2", url);
    }

    [Theory]
    [MemberData(nameof(HelmChart.ValueSets), MemberType = typeof(HelmChart))]
    public void BuiltObjects_ValueSet_FindChartObjects(string valueSet)
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments(valueSet));
        var settings = RenderedSettings.Load(chart);
        var builder = new GatewayObjectBuilder(settings, HelmChart.Namespace);
        var deployment = builder.Deployment();
        var pod = deployment.Spec.Template.Spec;
        var podLabels = deployment.Spec.Template.Metadata.Labels;

        Assert.Equal("fasthook-gateway", deployment.Metadata.Name);
        AssertServiceAccountBound(chart, pod.ServiceAccountName, valueSet);
        AssertGatewayRoleNames(chart, builder);
        AssertSecretRendered(chart, pod.Volumes.Single(volume => volume.Name == "admin-token").Secret.SecretName, settings.AdminToken.Key, valueSet);
        var redis = pod.Containers[0].Env.Single(variable => variable.Name == "FASTHOOK_REDIS_URL").ValueFrom.SecretKeyRef;
        AssertSecretRendered(chart, redis.Name, redis.Key, valueSet);
        foreach (var constraint in pod.TopologySpreadConstraints ?? [])
        {
            AssertSubset(constraint.LabelSelector.MatchLabels, podLabels, "topologySpreadConstraints labelSelector");
        }

        foreach (var monitor in chart.OfKind("PodMonitor"))
        {
            var selector = monitor.GetMap("spec.selector.matchLabels").ToDictionary(pair => (string)pair.Key, pair => (string)pair.Value!);
            AssertSubset(selector, podLabels, $"{monitor} selector");
            Assert.Contains(pod.Containers[0].Ports, port => port.Name == YamlNodes.GetScalar(monitor.GetList("spec.podMetricsEndpoints")[0], "port"));
        }
    }

    [Fact]
    public void LongReleaseName_FitsObjectNames()
    {
        var release = new string('r', 53);
        var result = ExternalTool.Helm.Run(["template", release, RepositoryPaths.Chart, "--namespace", HelmChart.Namespace]);
        Assert.True(result.Succeeded, result.ToString());
        var chart = RenderedChart.Parse(result.Output);
        var fullname = release[..46];

        var settings = RenderedSettings.Load(chart, fullname);
        var builder = new GatewayObjectBuilder(settings, HelmChart.Namespace);

        Assert.Equal(fullname, settings.Instance);
        foreach (var name in new[] { builder.DeploymentName, builder.MetricsServiceName, builder.RoutesConfigMapName, builder.SecretsSecretName, settings.AdminToken.Name })
        {
            Assert.True(name.Length <= 63, $"{name} is longer than 63 characters");
        }
    }

    [Fact]
    public void RenderedFile_MisspeltKey_IsNamed()
    {
        var text = RenderedSettings.Text(HelmChart.Template()) + "replica: 3\n";

        var error = Assert.Throws<InvalidDataException>(() => RenderedSettings.Load(text));

        Assert.Contains($"{RenderedSettings.ConfigMapKey}: line", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown key \"replica\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("replicas", error.Message, StringComparison.Ordinal);
        Assert.Contains("Correct or remove the key", error.Message, StringComparison.Ordinal);
    }

    private static void AssertServiceAccountBound(RenderedChart chart, string serviceAccount, string valueSet)
    {
        if (valueSet != "existing-secret")
        {
            Assert.True(chart.Contains("ServiceAccount", serviceAccount), $"the chart renders no ServiceAccount {serviceAccount} for the gateway pods");
        }

        var binding = chart.Single("RoleBinding", "fasthook-gateway", HelmChart.Namespace);
        var subject = YamlNodes.Map(binding.GetList("subjects").Single(), "subjects[0]");
        Assert.Equal(serviceAccount, subject["name"]);
        Assert.Equal(HelmChart.Namespace, subject["namespace"]);
    }

    private static void AssertGatewayRoleNames(RenderedChart chart, GatewayObjectBuilder builder)
    {
        var rules = chart.Single("Role", "fasthook-gateway", HelmChart.Namespace).GetList("rules").Select(rule => YamlNodes.Map(rule, "rule")).ToList();
        var names = rules.ToDictionary(
            rule => YamlNodes.Strings(rule["resources"], "resources").Single(),
            rule => YamlNodes.Strings(rule["resourceNames"], "resourceNames").Single());

        Assert.Equal(builder.RoutesConfigMapName, names["configmaps"]);
        Assert.Equal(builder.SecretsSecretName, names["secrets"]);
        Assert.Equal($"{builder.Namespace}/{builder.RoutesConfigMapName},{builder.Namespace}/{builder.SecretsSecretName}", builder.ConfigFromApi);
    }

    /// <summary>Checks that the chart renders the Secret with the key, except where the value set names an existing one.</summary>
    private static void AssertSecretRendered(RenderedChart chart, string name, string key, string valueSet)
    {
        if (valueSet == "existing-secret")
        {
            Assert.False(chart.Contains("Secret", name), $"the chart renders Secret {name}, which the value set says exists");
            return;
        }

        var secret = chart.Single("Secret", name);
        Assert.True(secret.GetMap("data").ContainsKey(key), $"{secret} has no key {key}");
    }

    private static void AssertSubset(IDictionary<string, string> expected, IDictionary<string, string> actual, string selector)
    {
        foreach (var (key, value) in expected)
        {
            Assert.True(actual.TryGetValue(key, out var found), $"{selector} selects the label {key}, which the gateway pods do not carry");
            Assert.Equal(value, found);
        }
    }
}
