using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

/// <summary>
/// The restricted Pod Security Standard settings on every pod the chart runs or configures.
/// </summary>
public sealed class SecurityContextTests
{
    [Fact]
    public void OperatorPod_Defaults_IsRestricted()
    {
        var deployment = HelmChart.Template().Single("Deployment", "fasthook-operator");

        AssertRestrictedPod(deployment.GetMap("spec.template.spec.securityContext"));
        AssertRestrictedContainer(YamlNodes.GetMap(deployment.Container("operator"), "securityContext"));
    }

    [Fact]
    public void RedisPod_Defaults_IsRestricted()
    {
        var statefulSet = HelmChart.Template().Single("StatefulSet", "fasthook-redis");

        AssertRestrictedPod(statefulSet.GetMap("spec.template.spec.securityContext"));
        AssertRestrictedContainer(YamlNodes.GetMap(statefulSet.Container("redis"), "securityContext"));
        Assert.Equal("false", statefulSet.GetScalar("spec.template.spec.automountServiceAccountToken"));
    }

    [Fact]
    public void GatewaySettings_Defaults_AreRestricted()
    {
        var settings = GatewaySettingsTests.ReadSettings(HelmChart.Template());

        AssertRestrictedPod(YamlNodes.GetMap(settings, "podSecurityContext"));
        AssertRestrictedContainer(YamlNodes.GetMap(settings, "securityContext"));
    }

    private static void AssertRestrictedPod(Dictionary<object, object?> context)
    {
        Assert.Equal("true", context["runAsNonRoot"]);
        Assert.Equal("RuntimeDefault", YamlNodes.GetScalar(context, "seccompProfile.type"));
    }

    private static void AssertRestrictedContainer(Dictionary<object, object?> context)
    {
        Assert.Equal("true", context["runAsNonRoot"]);
        Assert.Equal("true", context["readOnlyRootFilesystem"]);
        Assert.Equal("false", context["allowPrivilegeEscalation"]);
        Assert.Equal(["ALL"], YamlNodes.Strings(YamlNodes.Get(context, "capabilities.drop"), "capabilities.drop"));
        Assert.Null(YamlNodes.Find(context, "capabilities.add"));
        Assert.Equal("RuntimeDefault", YamlNodes.GetScalar(context, "seccompProfile.type"));
        Assert.NotEqual("true", context.GetValueOrDefault("privileged"));
    }
}
