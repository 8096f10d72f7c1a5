using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

public sealed class PromQlMetricNamesTests
{
    [Theory]
    [InlineData("up", "up")]
    [InlineData("sum by (namespace, source) (rate(fasthook_requests_received_total{outcome=\"unavailable\"}[5m])) > 0", "fasthook_requests_received_total")]
    [InlineData("histogram_quantile(0.99, sum by (source, le) (rate(fasthook_ingest_duration_seconds_bucket{namespace=~\"$namespace\"}[$__rate_interval])))", "fasthook_ingest_duration_seconds_bucket")]
    [InlineData("a / on (namespace, source) group_left () b", "a b")]
    [InlineData("x unless x offset 15m", "x")]
    [InlineData("count(fasthook_operator_resource_ready == 0) or vector(0)", "fasthook_operator_resource_ready")]
    [InlineData("max by (kind) (m{label=\"rate(inside_string)\"}) > 1e3", "m")]
    public void Extract_Expression_FindsMetrics(string expression, string expected)
    {
        var names = PromQlMetricNames.Extract(expression);

        Assert.Equal(expected.Split(' '), names);
    }
}
