using System.Diagnostics;
using System.Text;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Cli;

public sealed class CliTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task SendAndReceive_ShowAVerifiedDelivery()
    {
        var port = RedisServer.FreePort();
        using var receiver = StartFastHook("receive", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--secret", TestManifests.SigningSecret);
        int exitCode;
        string sent;
        string printed;
        try
        {
            var output = new StringBuilder();
            receiver.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
            receiver.BeginOutputReadLine();
            await Eventually.WaitAsync(() => Task.FromResult(Text(output)), text => text.Contains("Receiving on", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the receiver to start");
            await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver($"http://127.0.0.1:{port}"));

            (exitCode, sent) = await RunAsync("send", "--url", gateway.Host.IngestUrls[0] + TestManifests.SourcePath, "--provider", "github", "--secret", TestManifests.GitHubSecret, "--data", "{\"from\":\"cli\"}");
            Assert.True(exitCode == 0, sent);
            printed = await Eventually.WaitAsync(() => Task.FromResult(Text(output)), text => text.Contains("{\"from\":\"cli\"}", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the delivery to be printed");
        }
        finally
        {
            // The receiver runs until it is stopped; a failed wait above must not leave it running.
            receiver.Kill(entireProcessTree: true);
        }

        Assert.Equal(0, exitCode);
        Assert.StartsWith("200 OK", sent, StringComparison.Ordinal);
        Assert.Contains("signature: valid (Standard Webhooks)", printed, StringComparison.Ordinal);
        Assert.Contains("webhook-id: evt_", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminCommands_ListEventsAndRejectUnknownConnections()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url));
        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var eventId = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0].Header("webhook-id");
        var adminUrl = gateway.Host.ManagementUrls[0];

        var (listed, listing) = await RunAsync("events", "--connection", TestManifests.Connection, "--admin-url", adminUrl);
        var (missing, error) = await RunAsync("events", "--connection", "default/nope", "--admin-url", adminUrl);

        Assert.Equal(0, listed);
        Assert.Contains(eventId, listing, StringComparison.Ordinal);
        Assert.Equal(1, missing);
        Assert.Contains("Connection default/nope is not configured", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_WithInvalidManifests_ExitsWithEveryProblem()
    {
        var folder = GatewayHarness.WriteManifests(TestManifests.GitHubToReceiver("http://127.0.0.1:9", retry: "{maxAttempts: 0, strategy: sometimes}"));

        var (exitCode, text) = await RunAsync("gateway", "--manifests", folder, "--redis", redis.Server.Url, "--urls", "http://127.0.0.1:0", "--management-urls", "http://127.0.0.1:0");

        Assert.Equal(2, exitCode);
        Assert.Contains("spec.retry.maxAttempts", text, StringComparison.Ordinal);
        Assert.Contains("spec.retry.strategy", text, StringComparison.Ordinal);
        Assert.Contains("Connection default/github-to-receiver", text, StringComparison.Ordinal);
    }

    private static Process StartFastHook(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fasthook.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        using var process = StartFastHook(arguments);
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await standardOutput + await standardError);
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
