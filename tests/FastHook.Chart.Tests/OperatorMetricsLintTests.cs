using FastHook.Api.V1Alpha1;
using FastHook.Chart.Tests.Infrastructure;
using FastHook.Gateway.Tests.Infrastructure;
using FastHook.KubeEmulator.Testing;
using FastHook.Operator.Tests.Infrastructure;
using Eventually = FastHook.Operator.Tests.Infrastructure.Eventually;
using RepositoryPaths = FastHook.Chart.Tests.Infrastructure.RepositoryPaths;

namespace FastHook.Chart.Tests;

/// <summary>
/// `promtool check metrics` on what the real operator serves at /metrics, with the chart's default gateway
/// settings, against the API emulator and a real redis-server.
/// </summary>
[Collection(EmulatorScenarios.Name)]
public sealed class OperatorMetricsLintTests
{
    [Fact]
    public async Task OperatorMetrics_PassPromtoolCheckMetrics()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var fixture = await OperatorFixture.StartAsync();
        var options = OperatorFixture.TestOptions(redis.Url);
        options.Gateway = RenderedSettings.Load(HelmChart.Template());
        options.LeaderElection = true;
        var host = await fixture.StartOperatorAsync(options);

        // One failed status write puts an error result and the error counter into the output too.
        fixture.Api.Faults.Add(new FaultRule { Kind = Connection.KindName, Count = 1, StatusCode = 500, Verbs = new HashSet<string> { "update" }, Subresource = "status" });
        await fixture.ApplyManifestsAsync(Path.Combine(RepositoryPaths.Root, "examples", "quickstart"));
        await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "github-to-receiver"),
            value => OperatorFixture.IsReady(value.Status),
            timeout: TimeSpan.FromSeconds(30),
            description: "Connection github-to-receiver Ready");
        using var http = new HttpClient { BaseAddress = new Uri(host.MetricsUrls[0]) };
        Assert.StartsWith("http://127.0.0.1:", host.MetricsUrls[0], StringComparison.Ordinal);

        var metrics = await http.GetStringAsync("/metrics");
        var result = ExternalTool.Promtool.Run(["check", "metrics"], standardInput: metrics);

        Assert.Contains("fasthook_operator_reconcile_total{kind=\"Connection\",result=\"error\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("fasthook_operator_reconcile_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("fasthook_operator_resource_ready{", metrics, StringComparison.Ordinal);
        Assert.True(result.Succeeded, $"promtool check metrics reported problems in the operator's /metrics: {result}");
        Assert.Equal("", (result.Output + result.Error).Trim());
    }
}
