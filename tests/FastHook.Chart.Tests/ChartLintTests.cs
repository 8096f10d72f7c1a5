using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

public sealed class ChartLintTests
{
    [Theory]
    [MemberData(nameof(HelmChart.ValueSets), MemberType = typeof(HelmChart))]
    public void HelmLintStrict_ValueSet_Passes(string valueSet)
    {
        var result = HelmChart.Lint(HelmChart.ValueSetArguments(valueSet));

        Assert.True(result.Succeeded, $"helm lint --strict failed for value set {valueSet}: {result}");
    }

    [Fact]
    public void HelmLintStrict_NothingOptional_Passes()
    {
        var result = HelmChart.Lint([
            "--set", "crds.install=false", "--set", "rbac.create=false", "--set", "serviceAccount.create=false",
            "--set", "serviceAccount.name=existing", "--set", "gateway.podDisruptionBudget.enabled=false",
            "--set", "redis.bundled.persistence.enabled=false", "--set", "redis.bundled.auth.enabled=false",
        ]);

        Assert.True(result.Succeeded, $"helm lint --strict failed: {result}");
    }
}
