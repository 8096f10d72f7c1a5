using System.Text.RegularExpressions;
using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

public sealed partial class AlertRuleTests
{
    private const string DefaultRunbookBase = "https://github.com/fasthook/fasthook/blob/main/docs/alerts.md";

    private static readonly string[] Severities = ["critical", "warning"];

    [Fact]
    public void PromtoolCheckRules_RulesFile_Passes()
    {
        var result = ExternalTool.Promtool.Run(["check", "rules", RepositoryPaths.AlertRules]);

        Assert.True(result.Succeeded, $"promtool check rules failed: {result}");
    }

    [Fact]
    public void PromtoolTestRules_UnitTests_Pass()
    {
        var result = ExternalTool.Promtool.Run(["test", "rules", RepositoryPaths.AlertTests]);

        Assert.True(result.Succeeded, $"promtool test rules failed: {result}");
    }

    [Fact]
    public void UnitTests_EveryAlert_FiresAndStaysSilent()
    {
        var checks = ReadAlertChecks();

        foreach (var alert in ReadAlerts())
        {
            var name = YamlNodes.GetScalar(alert, "alert");
            Assert.True(checks.Any(check => check.Alert == name && check.Fires), $"tests/monitoring has no case in which {name} fires");
            Assert.True(checks.Any(check => check.Alert == name && !check.Fires), $"tests/monitoring has no case in which {name} stays silent");
        }
    }

    [Fact]
    public void UnitTests_NameOnlyExistingAlerts()
    {
        var alerts = ReadAlerts().Select(alert => YamlNodes.GetScalar(alert, "alert")).ToHashSet();

        foreach (var check in ReadAlertChecks())
        {
            Assert.True(alerts.Contains(check.Alert), $"tests/monitoring checks {check.Alert}, which files/alerts.yaml does not define");
        }
    }

    [Fact]
    public void EveryAlert_HasSeverityAndAnnotations()
    {
        foreach (var alert in ReadAlerts())
        {
            var name = YamlNodes.GetScalar(alert, "alert");
            Assert.Contains(YamlNodes.GetScalar(alert, "labels.severity"), Severities);
            Assert.False(string.IsNullOrWhiteSpace(YamlNodes.Find(alert, "annotations.summary") as string), $"{name} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(YamlNodes.Find(alert, "annotations.description") as string), $"{name} has no description");
            Assert.StartsWith("FastHook", name, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryAlert_LinksToItsRunbookSection()
    {
        var anchors = ReadRunbookAnchors();

        foreach (var alert in ReadAlerts())
        {
            var name = YamlNodes.GetScalar(alert, "alert");
            var url = YamlNodes.GetScalar(alert, "annotations.runbook_url");

            Assert.Equal($"{DefaultRunbookBase}#{name.ToLowerInvariant()}", url);
            Assert.True(anchors.Contains(name.ToLowerInvariant()), $"docs/alerts.md has no section headed {name}");
        }
    }

    [Fact]
    public void RunbookSections_NameOnlyExistingAlerts()
    {
        var alerts = ReadAlerts().Select(alert => YamlNodes.GetScalar(alert, "alert").ToLowerInvariant()).ToHashSet();

        var sections = File.ReadLines(RepositoryPaths.AlertRunbooks)
            .Where(line => line.StartsWith("### FastHook", StringComparison.Ordinal))
            .Select(line => GitHubAnchor(line[4..]));

        Assert.All(sections, section => Assert.Contains(section, alerts));
    }

    [Fact]
    public void AlertExpressions_NameOnlyExportedMetrics()
    {
        foreach (var alert in ReadAlerts())
        {
            var name = YamlNodes.GetScalar(alert, "alert");
            foreach (var metric in PromQlMetricNames.Extract(YamlNodes.GetScalar(alert, "expr")))
            {
                // up is the scrape health series that Prometheus writes for every target.
                Assert.True(metric == "up" || KnownMetrics.IsExported(metric), $"{name} uses {metric}, which neither the gateway nor the operator exports");
            }
        }
    }

    [Fact]
    public void PrometheusRule_Defaults_EmbedRulesFile()
    {
        var rule = HelmChart.Template("--set", "metrics.prometheusRule.enabled=true").OfKind("PrometheusRule").Single();

        var rendered = RuleGroups(rule.Root["spec"]);
        var file = RuleGroups(YamlNodes.Parse(File.ReadAllText(RepositoryPaths.AlertRules)));

        Assert.Equal(file, rendered);
    }

    [Fact]
    public void PrometheusRule_RunbookBaseUrl_ReplacesLinks()
    {
        var rule = HelmChart.Template(
            "--set", "metrics.prometheusRule.enabled=true",
            "--set", "metrics.prometheusRule.runbookBaseUrl=https://wiki.example.com/fasthook/alerts/").OfKind("PrometheusRule").Single();

        foreach (var alert in RenderedAlerts(rule))
        {
            var name = YamlNodes.GetScalar(alert, "alert");
            Assert.Equal($"https://wiki.example.com/fasthook/alerts#{name.ToLowerInvariant()}", YamlNodes.GetScalar(alert, "annotations.runbook_url"));
        }
    }

    [Fact]
    public void PrometheusRule_DisabledAlerts_AreLeftOut()
    {
        var rule = HelmChart.Template(
            "--set", "metrics.prometheusRule.enabled=true",
            "--set", "metrics.prometheusRule.disabledAlerts={FastHookRedisErrors,FastHookEventsPendingHigh}").OfKind("PrometheusRule").Single();

        var names = RenderedAlerts(rule).Select(alert => YamlNodes.GetScalar(alert, "alert")).ToList();

        Assert.DoesNotContain("FastHookRedisErrors", names);
        Assert.DoesNotContain("FastHookEventsPendingHigh", names);
        Assert.Equal(ReadAlerts().Count - 2, names.Count);
    }

    [Fact]
    public void PrometheusRule_AlertLabels_KeepSeverity()
    {
        var rule = HelmChart.Template(
            "--set", "metrics.prometheusRule.enabled=true",
            "--set", "metrics.prometheusRule.alertLabels.team=platform",
            "--set", "metrics.prometheusRule.alertLabels.severity=page").OfKind("PrometheusRule").Single();

        foreach (var alert in RenderedAlerts(rule))
        {
            Assert.Equal("platform", YamlNodes.GetScalar(alert, "labels.team"));
            Assert.NotEqual("page", YamlNodes.GetScalar(alert, "labels.severity"));
        }
    }

    [Fact]
    public void Monitors_AllFeatures_SetRuleJobNames()
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments("all-features"));
        var rules = File.ReadAllText(RepositoryPaths.AlertRules);

        var serviceMonitor = chart.OfKind("ServiceMonitor").Single();
        var podMonitor = chart.OfKind("PodMonitor").Single();
        var operatorJob = JobReplacement(YamlNodes.Map(serviceMonitor.GetList("spec.endpoints").Single(), "endpoint"));
        var gatewayJob = JobReplacement(YamlNodes.Map(podMonitor.GetList("spec.podMetricsEndpoints").Single(), "endpoint"));

        Assert.Equal("fasthook-operator", operatorJob);
        Assert.Equal("fasthook-gateway", gatewayJob);
        Assert.Contains($"up{{job=\"{operatorJob}\"}}", rules);
        Assert.Contains($"up{{job=\"{gatewayJob}\"}}", rules);
        Assert.Equal("true", YamlNodes.GetScalar(serviceMonitor.GetList("spec.endpoints").Single(), "honorLabels"));
    }

    [Fact]
    public void PodMonitor_AllFeatures_SelectsGatewayPods()
    {
        var podMonitor = HelmChart.Template(HelmChart.ValueSetArguments("all-features")).OfKind("PodMonitor").Single();

        var labels = podMonitor.GetMap("spec.selector.matchLabels");
        var endpoint = podMonitor.GetList("spec.podMetricsEndpoints").Single();

        Assert.Equal("fasthook", labels["app.kubernetes.io/name"]);
        Assert.Equal(HelmChart.Release, labels["app.kubernetes.io/instance"]);
        Assert.Equal("gateway", labels["app.kubernetes.io/component"]);
        Assert.Equal("management", YamlNodes.GetScalar(endpoint, "port"));
        Assert.Equal("/metrics", YamlNodes.GetScalar(endpoint, "path"));
    }

    internal static List<Dictionary<object, object?>> ReadAlerts() =>
        RulesOf(YamlNodes.Parse(File.ReadAllText(RepositoryPaths.AlertRules)));

    private static List<Dictionary<object, object?>> RenderedAlerts(KubernetesObject rule) => RulesOf(rule.Root["spec"]);

    private static List<Dictionary<object, object?>> RulesOf(object? groups) =>
        YamlNodes.GetList(groups, "groups")
            .SelectMany(group => YamlNodes.GetList(group, "rules"))
            .Select(rule => YamlNodes.Map(rule, "rule"))
            .ToList();

    private static List<string> RuleGroups(object? groups) =>
        YamlNodes.GetList(groups, "groups")
            .SelectMany(group => YamlNodes.GetList(group, "rules").Select(rule =>
                $"{YamlNodes.GetScalar(group, "name")} {YamlNodes.GetScalar(rule, "alert")} for {YamlNodes.Find(rule, "for")}\n{YamlNodes.GetScalar(rule, "expr").Trim()}\n" +
                string.Join("\n", YamlNodes.GetMap(rule, "labels").Concat(YamlNodes.GetMap(rule, "annotations")).Select(pair => $"{pair.Key}={pair.Value}").Order(StringComparer.Ordinal))))
            .ToList();

    private static List<(string Alert, bool Fires)> ReadAlertChecks()
    {
        var checks = new List<(string, bool)>();
        var file = YamlNodes.Parse(File.ReadAllText(RepositoryPaths.AlertTests));
        foreach (var test in YamlNodes.GetList(file, "tests"))
        {
            foreach (var item in YamlNodes.List(YamlNodes.Find(test, "alert_rule_test") ?? new List<object?>(), "alert_rule_test"))
            {
                var expected = YamlNodes.Find(item, "exp_alerts") as List<object?>;
                checks.Add((YamlNodes.GetScalar(item, "alertname"), expected is { Count: > 0 }));
            }
        }

        return checks;
    }

    private static HashSet<string> ReadRunbookAnchors() =>
        File.ReadLines(RepositoryPaths.AlertRunbooks)
            .Where(line => line.StartsWith('#'))
            .Select(line => GitHubAnchor(line.TrimStart('#')))
            .ToHashSet(StringComparer.Ordinal);

    private static string? JobReplacement(Dictionary<object, object?> endpoint) =>
        YamlNodes.GetList(endpoint, "relabelings")
            .Select(item => YamlNodes.Map(item, "relabeling"))
            .Where(relabeling => Equals(relabeling["targetLabel"], "job"))
            .Select(relabeling => relabeling["replacement"] as string)
            .Single();

    /// <summary>
    /// Returns the anchor GitHub gives a Markdown heading: lower case, punctuation removed, spaces as hyphens.
    /// </summary>
    private static string GitHubAnchor(string heading) =>
        AnchorPunctuation().Replace(heading.Trim().ToLowerInvariant(), "").Replace(' ', '-');

    [GeneratedRegex(@"[^\w\- ]")]
    private static partial Regex AnchorPunctuation();
}
