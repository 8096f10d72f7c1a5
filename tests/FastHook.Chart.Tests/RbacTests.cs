using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

/// <summary>
/// The operator's RBAC rules, compared with the permissions the operator contract lists. Each rule is expanded
/// into "apiGroup resource verb" triples, so the comparison does not depend on how rules are grouped.
/// NOTE: the expected lists are written by hand from the contract. Once the operator's tests record the API
/// calls it makes, derive them from that recording so that a new call without a rule fails here.
/// </summary>
public sealed class RbacTests
{
    private static readonly string[] FastHookResources = ["webhooksources", "destinations", "connections"];

    private static readonly Rule[] WatchRules =
    [
        new("fasthook.io", FastHookResources, ["get", "list", "watch"]),
        new("fasthook.io", FastHookResources.Select(resource => resource + "/status").ToArray(), ["get", "update", "patch"]),
        new("fasthook.io", FastHookResources.Select(resource => resource + "/finalizers").ToArray(), ["update"]),
        new("fasthook.io", ["connections"], ["update"]),
        new("", ["secrets"], ["get", "list", "watch"]),
    ];

    private static readonly Rule[] EventRules =
    [
        new("", ["events"], ["create", "patch"]),
        new("events.k8s.io", ["events"], ["create", "patch"]),
    ];

    private static readonly string[] ManageVerbs = ["get", "list", "watch", "create", "update", "patch", "delete"];

    private static readonly Rule[] GatewayRules =
    [
        new("apps", ["deployments"], ManageVerbs),
        new("", ["services", "configmaps", "secrets"], ManageVerbs),
        new("policy", ["poddisruptionbudgets"], ManageVerbs),
        new("coordination.k8s.io", ["leases"], ["get", "create", "update"]),
    ];

    private static readonly Rule IngressRule = new("networking.k8s.io", ["ingresses"], ManageVerbs);

    [Fact]
    public void ClusterRole_AllNamespaces_MatchesContract()
    {
        var chart = HelmChart.Template();

        var clusterRole = chart.Single("ClusterRole", "fasthook-operator");

        Assert.Equal(Expand([.. WatchRules, .. EventRules]), Expand(clusterRole));
    }

    [Fact]
    public void Role_ReleaseNamespace_GrantsGatewayRules()
    {
        var chart = HelmChart.Template();

        var role = chart.Single("Role", "fasthook-operator", HelmChart.Namespace);

        Assert.Equal(Expand(GatewayRules), Expand(role));
    }

    [Fact]
    public void Role_IngressEnabled_AddsIngressRule()
    {
        var chart = HelmChart.Template("--set", "gateway.ingress.enabled=true", "--set", "gateway.ingress.host=hooks.example.com");

        var role = chart.Single("Role", "fasthook-operator", HelmChart.Namespace);

        Assert.Equal(Expand([.. GatewayRules, IngressRule]), Expand(role));
    }

    [Fact]
    public void WatchNamespaces_Set_MovesWatchRulesIntoRoles()
    {
        var chart = HelmChart.Template("--set", "watchNamespaces={team-a,team-b}");

        Assert.Equal(Expand(EventRules), Expand(chart.Single("ClusterRole", "fasthook-operator")));
        Assert.Equal(Expand(WatchRules), Expand(chart.Single("Role", "fasthook-operator-watch", "team-a")));
        Assert.Equal(Expand(WatchRules), Expand(chart.Single("Role", "fasthook-operator-watch", "team-b")));
        Assert.Equal(Expand(GatewayRules), Expand(chart.Single("Role", "fasthook-operator", HelmChart.Namespace)));
        Assert.Equal(4, chart.OfKind("Role").Count());
    }

    [Theory]
    [MemberData(nameof(HelmChart.ValueSets), MemberType = typeof(HelmChart))]
    public void Bindings_ValueSet_BindChartServiceAccounts(string valueSet)
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments(valueSet));
        var gatewayServiceAccount = valueSet == "existing-secret" ? "hooks-gateway" : "fasthook-gateway";
        var bindings = chart.OfKind("RoleBinding").Concat(chart.OfKind("ClusterRoleBinding")).ToList();

        Assert.NotEmpty(bindings);
        foreach (var binding in bindings)
        {
            var roleKind = binding.GetScalar("roleRef.kind");
            var roleName = binding.GetScalar("roleRef.name");
            var role = roleKind == "ClusterRole"
                ? chart.Single(roleKind, roleName)
                : chart.Single(roleKind, roleName, binding.Namespace!);
            Assert.NotNull(role);

            var subject = YamlNodes.Map(binding.GetList("subjects").Single(), "subjects[0]");
            Assert.Equal("ServiceAccount", subject["kind"]);
            Assert.Equal(binding.Name == "fasthook-gateway" ? gatewayServiceAccount : "fasthook-operator", subject["name"]);
            Assert.Equal(HelmChart.Namespace, subject["namespace"]);
        }
    }

    [Fact]
    public void Rbac_CreateFalse_RendersNoRbacObjects()
    {
        var chart = HelmChart.Template("--set", "rbac.create=false");

        Assert.Empty(chart.OfKind("ClusterRole"));
        Assert.Empty(chart.OfKind("ClusterRoleBinding"));
        Assert.Empty(chart.OfKind("Role"));
        Assert.Empty(chart.OfKind("RoleBinding"));
    }

    private static List<string> Expand(IEnumerable<Rule> rules) =>
        rules
            .SelectMany(rule => rule.Resources.SelectMany(resource => rule.Verbs.Select(verb => $"{rule.ApiGroup} {resource} {verb}")))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static List<string> Expand(KubernetesObject role)
    {
        var rules = new List<Rule>();
        foreach (var item in role.GetList("rules"))
        {
            var rule = YamlNodes.Map(item, $"{role} rule");
            Assert.Null(rule.GetValueOrDefault("resourceNames"));
            Assert.Null(rule.GetValueOrDefault("nonResourceURLs"));

            foreach (var apiGroup in YamlNodes.Strings(rule["apiGroups"], "apiGroups"))
            {
                rules.Add(new Rule(apiGroup, [.. YamlNodes.Strings(rule["resources"], "resources")], [.. YamlNodes.Strings(rule["verbs"], "verbs")]));
            }
        }

        var expanded = Expand(rules);
        Assert.DoesNotContain(expanded, triple => triple.Contains('*', StringComparison.Ordinal));
        return expanded;
    }

    private sealed record Rule(string ApiGroup, string[] Resources, string[] Verbs);
}
