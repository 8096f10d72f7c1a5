using System.Diagnostics;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Management;

public sealed class MetricsLintTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task MetricsOutput_PassesPromtoolCheckMetrics()
    {
        var promtool = Path.Combine(RepositoryRoot(), ".tmp", "tools", "bin", "promtool");
        Assert.True(File.Exists(promtool), $"{promtool} is missing: run `make chart-deps`, which installs promtool from Debian's prometheus package.");
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (n, _) => Task.FromResult(new TestResponse(n == 1 ? 500 : 200));
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));

        // Exercise every kind of series first: accepted and rejected requests, a retry and a delivery.
        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", "wrong secret");
        await receiver.WaitForAsync(2, TimeSpan.FromSeconds(10));
        await gateway.Host.Services.Metrics.Registry.CollectAndExportAsTextAsync(Stream.Null);
        var metrics = await gateway.Admin.GetStringAsync("/metrics");

        var start = new ProcessStartInfo(promtool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(metrics);
        process.StandardInput.Close();
        var problems = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Contains("fasthook_delivery_attempts_total", metrics, StringComparison.Ordinal);
        Assert.True(process.ExitCode == 0, $"promtool check metrics reported problems:\n{problems}");
        Assert.Equal("", problems.Trim());
    }

    private static string RepositoryRoot() => RepositoryPaths.Root;
}
