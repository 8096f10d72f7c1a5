using System.Text;
using System.Text.Json;
using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

public sealed class DashboardTests
{
    [Fact]
    public void Dashboard_File_IsGrafanaJson()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Dashboard));

        var root = dashboard.RootElement;

        Assert.Equal("fasthook-overview", root.GetProperty("uid").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("title").GetString()));
        Assert.True(root.GetProperty("panels").GetArrayLength() > 0);
    }

    [Fact]
    public void Dashboard_EveryPanel_HasQueries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Dashboard));

        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (panel.GetProperty("type").GetString() == "row")
            {
                continue;
            }

            var title = panel.GetProperty("title").GetString();
            Assert.True(panel.TryGetProperty("targets", out var targets), $"panel {title} has no targets");
            Assert.True(targets.GetArrayLength() > 0, $"panel {title} has no targets");
            foreach (var target in targets.EnumerateArray())
            {
                Assert.False(string.IsNullOrWhiteSpace(target.GetProperty("expr").GetString()), $"panel {title} has an empty query");
            }
        }
    }

    [Fact]
    public void Dashboard_Queries_NameOnlyExportedMetrics()
    {
        foreach (var (where, expression) in ReadExpressions())
        {
            var metrics = PromQlMetricNames.Extract(expression);

            Assert.NotEmpty(metrics);
            foreach (var metric in metrics)
            {
                Assert.True(KnownMetrics.IsExported(metric), $"{where} uses {metric}, which neither the gateway nor the operator exports: {expression}");
            }
        }
    }

    [Fact]
    public void Dashboard_Queries_ParseAsPromQl()
    {
        // promtool has no command that checks a bare expression, so each one becomes a recording rule.
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        var index = 0;
        foreach (var (_, expression) in ReadExpressions())
        {
            var concrete = expression
                .Replace("$__rate_interval", "5m", StringComparison.Ordinal)
                .Replace("$namespace", ".*", StringComparison.Ordinal)
                .Replace("$source", ".*", StringComparison.Ordinal)
                .Replace("$connection", ".*", StringComparison.Ordinal);
            rules.Append(System.Globalization.CultureInfo.InvariantCulture, $"      - record: dashboard:query_{index++}\n");
            rules.Append("        expr: ").Append(JsonSerializer.Serialize(concrete)).Append('\n');
        }

        var path = Path.Combine(Path.GetTempPath(), $"fasthook-dashboard-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, rules.ToString());
        try
        {
            var result = ExternalTool.Promtool.Run(["check", "rules", path]);

            Assert.True(result.Succeeded, $"a dashboard query is not valid PromQL: {result}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DashboardConfigMap_Enabled_CarriesDashboard()
    {
        var chart = HelmChart.Template("--set", "dashboard.enabled=true");

        var configMap = chart.Single("ConfigMap", "fasthook-dashboard");

        Assert.Equal("1", configMap.GetMap("metadata.labels")["grafana_dashboard"]);
        Assert.Equal(HelmChart.Namespace, configMap.Namespace);
        Assert.Equal(
            File.ReadAllText(RepositoryPaths.Dashboard).TrimEnd(),
            YamlNodes.Scalar(configMap.GetMap("data")["fasthook.json"], "data[fasthook.json]").TrimEnd());
    }

    private static List<(string Where, string Expression)> ReadExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Dashboard));
        var expressions = new List<(string, string)>();

        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (!panel.TryGetProperty("targets", out var targets))
            {
                continue;
            }

            foreach (var target in targets.EnumerateArray())
            {
                expressions.Add(($"panel {panel.GetProperty("title").GetString()}", target.GetProperty("expr").GetString()!));
            }
        }

        foreach (var variable in dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() != "query")
            {
                continue;
            }

            // label_values(METRIC{...}, LABEL) is Grafana's syntax, not PromQL, so only its selector is checked.
            var query = variable.GetProperty("definition").GetString()!;
            var selector = query["label_values(".Length..query.LastIndexOf(',')];
            expressions.Add(($"variable {variable.GetProperty("name").GetString()}", selector));
        }

        return expressions;
    }
}
