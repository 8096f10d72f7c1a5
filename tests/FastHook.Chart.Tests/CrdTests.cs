using System.Text;
using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

public sealed class CrdTests
{
    // A small CRD with the constructs a generated one contains: a multi-line description, a large integer
    // bound, a boolean extension and a status subresource.
    private const string WebhookSourceCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: webhooksources.fasthook.io
          annotations:
            fasthook.io/generated-by: test
        spec:
          group: fasthook.io
          names:
            kind: WebhookSource
            listKind: WebhookSourceList
            plural: webhooksources
            singular: webhooksource
          scope: Namespaced
          versions:
            - name: v1alpha1
              served: true
              storage: true
              subresources:
                status: {}
              schema:
                openAPIV3Schema:
                  type: object
                  description: |-
                    One inbound endpoint.
                    Its verification rules decide which requests are accepted.
                  properties:
                    spec:
                      type: object
                      properties:
                        maxBodyBytes:
                          type: integer
                          minimum: 1
                          maximum: 2147483647
                        port:
                          x-kubernetes-int-or-string: true
        """;

    private const string ConnectionCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: connections.fasthook.io
        spec:
          group: fasthook.io
          names: {kind: Connection, listKind: ConnectionList, plural: connections, singular: connection}
          scope: Namespaced
          versions:
            - name: v1alpha1
              served: true
              storage: true
              schema:
                openAPIV3Schema: {type: object}
        """;

    [Fact]
    public void Crds_Installed_CarryKeepAnnotation()
    {
        using var copy = ChartWithCrds();

        var crd = HelmChart.TemplateChart(copy.Folder).Single("CustomResourceDefinition", "webhooksources.fasthook.io");

        var annotations = crd.GetMap("metadata.annotations");
        Assert.Equal("keep", annotations["helm.sh/resource-policy"]);
        Assert.Equal("test", annotations["fasthook.io/generated-by"]);
        Assert.Equal("fasthook", crd.GetMap("metadata.labels")["app.kubernetes.io/name"]);
    }

    [Fact]
    public void Crds_KeepFalse_LeaveAnnotationOut()
    {
        using var copy = ChartWithCrds();

        var crd = HelmChart.TemplateChart(copy.Folder, "--set", "crds.keep=false").Single("CustomResourceDefinition", "webhooksources.fasthook.io");

        Assert.False(crd.GetMap("metadata.annotations").ContainsKey("helm.sh/resource-policy"));
    }

    [Fact]
    public void Crds_InstallFalse_RenderNone()
    {
        using var copy = ChartWithCrds();

        var chart = HelmChart.TemplateChart(copy.Folder, "--set", "crds.install=false");

        Assert.Empty(chart.OfKind("CustomResourceDefinition"));
    }

    [Fact]
    public void Crds_Rendered_KeepSourceContent()
    {
        using var copy = ChartWithCrds();

        var crd = HelmChart.TemplateChart(copy.Folder).Single("CustomResourceDefinition", "webhooksources.fasthook.io");

        var source = YamlNodes.Map(YamlNodes.Parse(WebhookSourceCrd), "source CRD");
        Assert.Equal(Canonical(source["spec"]), Canonical(crd.Root["spec"]));
        Assert.Equal("2147483647", FindMaximum(crd));
    }

    [Fact]
    public void Crds_MultiDocumentFile_RenderEachDocument()
    {
        using var copy = new ChartCopy();
        copy.RemoveShippedCrds();
        copy.WriteFile("files/crds/fasthook.io.yaml", "---\n" + WebhookSourceCrd + "\n---\n" + ConnectionCrd + "\n");

        var chart = HelmChart.TemplateChart(copy.Folder);

        Assert.Equal(
            ["connections.fasthook.io", "webhooksources.fasthook.io"],
            chart.OfKind("CustomResourceDefinition").Select(crd => crd.Name!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Crds_OtherKindInFolder_FailsWithMessage()
    {
        using var copy = new ChartCopy();
        copy.WriteFile("files/crds/stray.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stray\n");

        var result = HelmChart.TryTemplate([], copy.Folder);

        Assert.False(result.Succeeded);
        Assert.Contains("files/crds/stray.yaml contains a ConfigMap, but files/crds/ may contain only CustomResourceDefinitions.", result.Error);
    }

    /// <summary>
    /// Fails when the chart's copy of the CRDs differs from config/crd/, with the command that syncs them.
    /// NOTE: it compares only when config/crd/ exists. Until the CRDs are generated there, it passes
    /// without checking anything.
    /// </summary>
    [Fact]
    public void ChartCrds_MatchConfigCrd()
    {
        if (!Directory.Exists(RepositoryPaths.ConfigCrd))
        {
            return;
        }

        var generated = Directory.GetFiles(RepositoryPaths.ConfigCrd, "*.yaml", SearchOption.AllDirectories)
            .Where(path => File.ReadAllText(path).Contains("kind: CustomResourceDefinition", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var copied = Directory.GetFiles(RepositoryPaths.ChartCrds, "*.yaml").Order(StringComparer.Ordinal).ToList();

        var sync = new StringBuilder("rm -f charts/fasthook-operator/files/crds/*.yaml && cp");
        foreach (var path in generated)
        {
            sync.Append(' ').Append(Path.GetRelativePath(RepositoryPaths.Root, path));
        }

        sync.Append(" charts/fasthook-operator/files/crds/");
        var howToSync = $"Sync the chart's CRDs with config/crd by running: {sync}";

        Assert.True(generated.Count > 0, $"config/crd/ contains no CustomResourceDefinition. {howToSync}");
        Assert.True(
            generated.Select(Path.GetFileName).Distinct().Count() == generated.Count,
            "config/crd/ has two CRD files with the same name in different folders, which files/crds/ cannot hold side by side.");
        Assert.True(
            generated.Select(Path.GetFileName).SequenceEqual(copied.Select(Path.GetFileName)),
            $"files/crds/ contains [{string.Join(", ", copied.Select(Path.GetFileName))}] but config/crd/ contains [{string.Join(", ", generated.Select(Path.GetFileName))}]. {howToSync}");
        foreach (var path in generated)
        {
            var copy = Path.Combine(RepositoryPaths.ChartCrds, Path.GetFileName(path));
            Assert.True(
                File.ReadAllBytes(path).AsSpan().SequenceEqual(File.ReadAllBytes(copy)),
                $"charts/fasthook-operator/files/crds/{Path.GetFileName(path)} differs from {Path.GetRelativePath(RepositoryPaths.Root, path)}. {howToSync}");
        }
    }

    private static ChartCopy ChartWithCrds()
    {
        var copy = new ChartCopy();
        copy.RemoveShippedCrds();
        copy.WriteFile("files/crds/webhooksources.yaml", WebhookSourceCrd + "\n");
        copy.WriteFile("files/crds/connections.yaml", ConnectionCrd + "\n");
        return copy;
    }

    private static string? FindMaximum(KubernetesObject crd)
    {
        var version = YamlNodes.Map(crd.GetList("spec.versions")[0], "spec.versions[0]");
        return YamlNodes.Find(version, "schema.openAPIV3Schema.properties.spec.properties.maxBodyBytes.maximum") as string;
    }

    /// <summary>
    /// Writes a node as text with mapping keys sorted, so that two nodes with equal content compare equal.
    /// </summary>
    private static string Canonical(object? node)
    {
        var text = new StringBuilder();
        Write(node);
        return text.ToString();

        void Write(object? value)
        {
            switch (value)
            {
                case Dictionary<object, object?> map:
                    text.Append('{');
                    foreach (var key in map.Keys.Cast<string>().Order(StringComparer.Ordinal))
                    {
                        text.Append(key).Append(':');
                        Write(map[key]);
                        text.Append(',');
                    }

                    text.Append('}');
                    break;
                case List<object?> list:
                    text.Append('[');
                    foreach (var item in list)
                    {
                        Write(item);
                        text.Append(',');
                    }

                    text.Append(']');
                    break;
                default:
                    text.Append('"').Append(value).Append('"');
                    break;
            }
        }
    }
}
