using System.Text.RegularExpressions;
using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

public sealed partial class KnownMetricsTests
{
    [Fact]
    public void GatewayList_MatchesReadmeMetrics()
    {
        var readme = File.ReadAllText(RepositoryPaths.Readme);
        var start = readme.IndexOf("### Metrics", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no \"### Metrics\" section");
        var end = readme.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];

        var documented = MetricInBackticks().Matches(section)
            .Select(match => "fasthook_" + match.Groups["name"].Value)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(KnownMetrics.Gateway.Order(StringComparer.Ordinal), documented);
    }

    [Fact]
    public void OperatorList_MatchesHelmGuideContract()
    {
        var documented = OperatorMetricRow().Matches(File.ReadAllText(RepositoryPaths.HelmGuide))
            .Select(match => match.Groups["name"].Value)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(KnownMetrics.Operator.Order(StringComparer.Ordinal), documented);
    }

    [Theory]
    [InlineData("fasthook_delivery_duration_seconds_bucket", true)]
    [InlineData("fasthook_operator_reconcile_duration_seconds_count", true)]
    [InlineData("fasthook_events_pending", true)]
    [InlineData("fasthook_events_pending_bucket", false)]
    [InlineData("fasthook_delivery_attempts", false)]
    [InlineData("up", false)]
    public void IsExported_Series_FollowsLists(string series, bool exported)
    {
        Assert.Equal(exported, KnownMetrics.IsExported(series));
    }

    // README.md writes gateway metrics without their prefix, as `requests_received_total{source,outcome}`.
    [GeneratedRegex(@"`(?<name>(?!fasthook_)[a-z][a-z_]*[a-z])(\{[a-z_,]*\})?`")]
    private static partial Regex MetricInBackticks();

    // docs/helm.md lists operator metrics as table rows that start with | `fasthook_operator_...` |.
    [GeneratedRegex(@"^\| `(?<name>fasthook_operator_[a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex OperatorMetricRow();
}
