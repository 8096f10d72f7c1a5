using FastHook.Api.V1Alpha1;
using FastHook.Operator.Tests.Infrastructure;

namespace FastHook.Operator.Tests.Hosting;

public sealed class HealthAndMetricsTests
{
    [Fact]
    public async Task MetricsEndpoint_ServesOperatorMetrics()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var host = await fixture.StartOperatorAsync();
        await fixture.ApplyManifestsAsync(Path.Combine(AppContext.BaseDirectory, "quickstart"));
        await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "github-to-receiver"),
            value => OperatorFixture.IsReady(value.Status),
            description: "Connection Ready");
        using var http = new HttpClient { BaseAddress = new Uri(host.MetricsUrls[0]) };

        var metrics = await http.GetStringAsync("/metrics");
        using var health = await http.GetAsync("/healthz");
        using var ready = await http.GetAsync("/readyz");

        Assert.Contains("fasthook_operator_reconcile_total{kind=\"Connection\",result=\"success\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("fasthook_operator_reconcile_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("fasthook_operator_workqueue_depth", metrics, StringComparison.Ordinal);
        Assert.Contains("fasthook_operator_is_leader 1", metrics, StringComparison.Ordinal);
        Assert.Contains("fasthook_operator_resource_ready{kind=\"Connection\",namespace=\"default\",name=\"github-to-receiver\"} 1", metrics, StringComparison.Ordinal);
        Assert.Equal(200, (int)health.StatusCode);
        Assert.Equal(200, (int)ready.StatusCode);
    }
}
