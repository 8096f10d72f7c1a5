using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

public sealed class RenderTests
{
    private static readonly HashSet<string> ClusterScopedKinds = ["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"];

    [Theory]
    [MemberData(nameof(HelmChart.ValueSets), MemberType = typeof(HelmChart))]
    public void Template_ValueSet_RendersIdentifiedObjects(string valueSet)
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments(valueSet));

        Assert.NotEmpty(chart.Objects);
        foreach (var item in chart.Objects)
        {
            Assert.False(string.IsNullOrEmpty(item.ApiVersion), $"{item} has no apiVersion");
            Assert.False(string.IsNullOrEmpty(item.Kind), $"document {item.Document} has no kind");
            Assert.False(string.IsNullOrEmpty(item.Name), $"{item} has no metadata.name");
            Assert.True(item.Name!.Length <= 63, $"{item} has a name longer than 63 characters");
        }
    }

    [Theory]
    [MemberData(nameof(HelmChart.ValueSets), MemberType = typeof(HelmChart))]
    public void Template_ValueSet_RendersNoDuplicates(string valueSet)
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments(valueSet));

        var duplicates = chart.Objects
            .GroupBy(item => $"{item.Kind} {item.Namespace}/{item.Name}")
            .Where(group => group.Count() > 1)
            .Select(group => group.Key)
            .ToList();
        Assert.Empty(duplicates);
    }

    [Theory]
    [MemberData(nameof(HelmChart.ValueSets), MemberType = typeof(HelmChart))]
    public void Template_ValueSet_SetsNamespaceOnNamespacedObjects(string valueSet)
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments(valueSet));

        foreach (var item in chart.Objects)
        {
            if (ClusterScopedKinds.Contains(item.Kind!))
            {
                Assert.Null(item.Namespace);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(item.Namespace), $"{item} has no metadata.namespace");
            }
        }
    }

    [Theory]
    [MemberData(nameof(HelmChart.ValueSets), MemberType = typeof(HelmChart))]
    public void Template_ValueSet_LabelsEveryObject(string valueSet)
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments(valueSet));

        foreach (var item in chart.Objects)
        {
            var labels = item.GetMap("metadata.labels");
            Assert.Equal("fasthook", labels["app.kubernetes.io/name"]);
            Assert.Equal(HelmChart.Release, labels["app.kubernetes.io/instance"]);
            Assert.Equal("Helm", labels["app.kubernetes.io/managed-by"]);
        }
    }

    [Fact]
    public void Template_Defaults_RendersOperatorAndBundledRedis()
    {
        var chart = HelmChart.Template();

        Assert.True(chart.Contains("Deployment", "fasthook-operator"));
        Assert.True(chart.Contains("ServiceAccount", "fasthook-operator"));
        Assert.True(chart.Contains("Service", "fasthook-operator-metrics"));
        Assert.True(chart.Contains("ConfigMap", "fasthook-gateway-settings"));
        Assert.True(chart.Contains("ClusterRole", "fasthook-operator"));
        Assert.True(chart.Contains("Role", "fasthook-operator"));
        Assert.True(chart.Contains("StatefulSet", "fasthook-redis"));
        Assert.True(chart.Contains("Secret", "fasthook-redis-url"));
        Assert.True(chart.Contains("ServiceAccount", "fasthook-gateway"));
        Assert.True(chart.Contains("Role", "fasthook-gateway"));
        Assert.True(chart.Contains("RoleBinding", "fasthook-gateway"));
        Assert.True(chart.Contains("Secret", "fasthook-admin-token"));
    }

    [Fact]
    public void Template_Defaults_RendersNoMonitoringObjects()
    {
        var chart = HelmChart.Template();

        Assert.Empty(chart.OfKind("ServiceMonitor"));
        Assert.Empty(chart.OfKind("PodMonitor"));
        Assert.Empty(chart.OfKind("PrometheusRule"));
        Assert.False(chart.Contains("ConfigMap", "fasthook-dashboard"));
    }

    [Fact]
    public void Template_AllFeatures_RendersMonitoringObjects()
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments("all-features"));

        Assert.Single(chart.OfKind("ServiceMonitor"));
        Assert.Single(chart.OfKind("PodMonitor"));
        Assert.Single(chart.OfKind("PrometheusRule"));
        Assert.Equal("monitoring", chart.Single("ConfigMap", "fasthook-dashboard").Namespace);
    }

    [Theory]
    [InlineData("fasthook", "fasthook-operator")]
    [InlineData("prod", "prod-fasthook-operator")]
    [InlineData("fasthook-eu", "fasthook-eu-operator")]
    public void Template_ReleaseName_PrefixesObjects(string release, string operatorName)
    {
        var result = ExternalTool.Helm.Run(["template", release, RepositoryPaths.Chart, "--namespace", HelmChart.Namespace]);
        Assert.True(result.Succeeded, result.ToString());

        var chart = RenderedChart.Parse(result.Output);

        Assert.True(chart.Contains("Deployment", operatorName), $"no Deployment {operatorName} for release {release}");
    }

    [Fact]
    public void Template_FullnameOverride_PrefixesObjects()
    {
        var chart = HelmChart.Template("--set", "fullnameOverride=hooks");

        Assert.True(chart.Contains("Deployment", "hooks-operator"));
        Assert.True(chart.Contains("StatefulSet", "hooks-redis"));
        Assert.True(chart.Contains("ConfigMap", "hooks-gateway-settings"));
    }

    [Fact]
    public void ServiceAccount_ExistingWithoutName_Fails()
    {
        var result = HelmChart.TryTemplate(["--set", "serviceAccount.create=false"]);

        Assert.False(result.Succeeded);
        Assert.Contains("serviceAccount.name is required when serviceAccount.create is false", result.Error);
    }

    [Fact]
    public void Notes_Defaults_NameNextStepsAndRedisWarning()
    {
        var notes = RenderNotes();

        Assert.Contains("kubectl -n fasthook-system rollout status deployment/fasthook-operator", notes);
        Assert.Contains("kubectl get webhooksources,destinations,connections -A", notes);
        Assert.Contains("port-forward service/fasthook-gateway 8080:80", notes);
        Assert.Contains("the bundled Redis is a single pod and is NOT highly available", notes);
        Assert.Contains("port-forward deployment/fasthook-gateway 9090:9090", notes);
        Assert.Contains("get secret fasthook-admin-token -o jsonpath='{.data.token}'", notes);
    }

    [Fact]
    public void Notes_ExistingAdminToken_NameIt()
    {
        var notes = RenderNotes(HelmChart.ValueSetArguments("existing-secret"));

        Assert.Contains("get secret hooks-admin -o jsonpath='{.data.bearer}'", notes);
    }

    [Fact]
    public void Notes_ExternalRedis_OmitRedisWarning()
    {
        var notes = RenderNotes(HelmChart.ValueSetArguments("external-url"));

        Assert.DoesNotContain("NOT highly available", notes);
        Assert.Contains("Secret fasthook-redis-url", notes);
    }

    [Fact]
    public void Notes_Ingress_ShowIngestAddress()
    {
        var notes = RenderNotes(HelmChart.ValueSetArguments("all-features"));

        Assert.Contains("https://hooks.example.com/", notes);
    }

    [Fact]
    public void Notes_NoCrdFiles_WarnAboutCrds()
    {
        var notes = RenderNotes();

        // files/crds/ contains no CRD until config/crd is copied in. Once it does, the warning must go.
        var hasCrdFiles = Directory.GetFiles(RepositoryPaths.ChartCrds, "*.yaml").Length > 0;
        Assert.Equal(!hasCrdFiles, notes.Contains("contains no CRDs", StringComparison.Ordinal));
    }

    private static string RenderNotes(params string[] arguments)
    {
        using var copy = new ChartCopy();
        copy.ExposeNotes();

        var chart = HelmChart.TemplateChart(copy.Folder, arguments);

        return YamlNodes.Scalar(chart.Single("ConfigMap", "notes-under-test").Find("data.notes"), "data.notes");
    }
}
