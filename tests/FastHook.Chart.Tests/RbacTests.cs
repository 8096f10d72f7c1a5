using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

/// <summary>
/// The shape of the chart's RBAC objects: which roles exist for which values, whom they bind, and how narrowly
/// their rules are written. RbacUsageTests checks the rules themselves against the calls the operator and the
/// gateway make.
/// </summary>
public sealed class RbacTests
{
    private static readonly string[] RuleLists = ["apiGroups", "resources", "verbs"];

    [Fact]
    public void AllNamespaces_RendersClusterRoleAndReleaseRoles()
    {
        var chart = HelmChart.Template();

        Assert.True(chart.Contains("ClusterRole", "fasthook-operator"));
        Assert.True(chart.Contains("ClusterRoleBinding", "fasthook-operator"));
        Assert.Equal(["fasthook-gateway", "fasthook-operator"], chart.OfKind("Role").Select(role => role.Name!).Order(StringComparer.Ordinal));
        Assert.All(chart.OfKind("Role"), role => Assert.Equal(HelmChart.Namespace, role.Namespace));
    }

    [Fact]
    public void WatchNamespaces_Set_ReplacesClusterRoleWithRoles()
    {
        var chart = HelmChart.Template("--set", "watchNamespaces={team-a,team-b,team-a}");

        Assert.Empty(chart.OfKind("ClusterRole"));
        Assert.Empty(chart.OfKind("ClusterRoleBinding"));
        Assert.True(chart.Contains("Role", "fasthook-operator-watch"));
        Assert.Equal(
            ["fasthook-system/fasthook-gateway", "fasthook-system/fasthook-operator", "team-a/fasthook-operator-watch", "team-b/fasthook-operator-watch"],
            chart.OfKind("Role").Select(role => $"{role.Namespace}/{role.Name}").Order(StringComparer.Ordinal));
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
            Assert.Equal(binding.Name, role.Name);

            var subject = YamlNodes.Map(binding.GetList("subjects").Single(), "subjects[0]");
            Assert.Equal("ServiceAccount", subject["kind"]);
            Assert.Equal(binding.Name == "fasthook-gateway" ? gatewayServiceAccount : "fasthook-operator", subject["name"]);
            Assert.Equal(HelmChart.Namespace, subject["namespace"]);
        }
    }

    [Theory]
    [MemberData(nameof(HelmChart.ValueSets), MemberType = typeof(HelmChart))]
    public void GatewayRole_ValueSet_ReadsOnlyNamedObjects(string valueSet)
    {
        var role = HelmChart.Template(HelmChart.ValueSetArguments(valueSet)).Single("Role", "fasthook-gateway", HelmChart.Namespace);

        foreach (var rule in Rules(role))
        {
            Assert.Subset(new HashSet<string> { "get", "list", "watch" }, YamlNodes.Strings(rule["verbs"], "verbs").ToHashSet());
            Assert.NotEmpty(YamlNodes.Strings(rule.GetValueOrDefault("resourceNames"), "resourceNames"));
        }
    }

    [Theory]
    [MemberData(nameof(HelmChart.ValueSets), MemberType = typeof(HelmChart))]
    public void OperatorReleaseRole_ValueSet_NamesEveryObjectButCreate(string valueSet)
    {
        var role = HelmChart.Template(HelmChart.ValueSetArguments(valueSet)).Single("Role", "fasthook-operator", HelmChart.Namespace);

        foreach (var rule in Rules(role))
        {
            var verbs = YamlNodes.Strings(rule["verbs"], "verbs");
            if (verbs is ["create"])
            {
                Assert.False(rule.ContainsKey("resourceNames"), "Kubernetes never grants create through resourceNames");
            }
            else
            {
                Assert.NotEmpty(YamlNodes.Strings(rule.GetValueOrDefault("resourceNames"), "resourceNames"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(HelmChart.ValueSets), MemberType = typeof(HelmChart))]
    public void Rules_ValueSet_UseNoWildcards(string valueSet)
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments(valueSet));

        foreach (var role in chart.OfKind("Role").Concat(chart.OfKind("ClusterRole")))
        {
            foreach (var rule in Rules(role))
            {
                Assert.False(rule.ContainsKey("nonResourceURLs"), $"{role} grants nonResourceURLs");
                var values = RuleLists.SelectMany(key => YamlNodes.Strings(rule[key], key));
                Assert.DoesNotContain(values, value => value.Contains('*', StringComparison.Ordinal));
            }
        }
    }

    [Theory]
    [InlineData("gateway.podDisruptionBudget.enabled", "policy", "poddisruptionbudgets")]
    [InlineData("gateway.ingress.enabled", "networking.k8s.io", "ingresses")]
    public void OptionalObject_Off_KeepsGetAndDeleteOnly(string value, string apiGroup, string resource)
    {
        var on = HelmChart.Template("--set", value + "=true", "--set", "gateway.ingress.host=hooks.example.com");
        var off = HelmChart.Template("--set", value + "=false", "--set", "gateway.ingress.host=hooks.example.com");

        Assert.Equal(["create", "get", "update"], VerbsOn(on, apiGroup, resource));
        Assert.Equal(["delete", "get"], VerbsOn(off, apiGroup, resource));
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

    private static List<Dictionary<object, object?>> Rules(KubernetesObject role) =>
        [.. role.GetList("rules").Select(rule => YamlNodes.Map(rule, $"{role} rule"))];

    private static List<string> VerbsOn(RenderedChart chart, string apiGroup, string resource) =>
        [.. Rules(chart.Single("Role", "fasthook-operator", HelmChart.Namespace))
            .Where(rule => YamlNodes.Strings(rule["apiGroups"], "apiGroups").Contains(apiGroup) && YamlNodes.Strings(rule["resources"], "resources").Contains(resource))
            .SelectMany(rule => YamlNodes.Strings(rule["verbs"], "verbs"))
            .Order(StringComparer.Ordinal)];
}
