using System.Diagnostics;
using System.Globalization;

namespace FastHook.Gateway.Tests.Infrastructure;

/// <summary>
/// A gateway in a child process (the real fasthook executable), so a test can kill it at any moment.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, string ingestUrl, string managementUrl)
    {
        _process = process;
        IngestUrl = ingestUrl;
        ManagementUrl = managementUrl;
    }

    public string IngestUrl { get; }

    public string ManagementUrl { get; }

    public static async Task<GatewayProcess> StartAsync(RedisServer redis, string manifestFolder, string keyPrefix)
    {
        var ingestPort = RedisServer.FreePort();
        var managementPort = RedisServer.FreePort();
        var executable = Path.Combine(AppContext.BaseDirectory, "fasthook.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                executable, "gateway",
                "--manifests", manifestFolder,
                "--redis", redis.Url,
                "--urls", $"http://127.0.0.1:{ingestPort}",
                "--management-urls", $"http://127.0.0.1:{managementPort}",
                "--key-prefix", keyPrefix,
                "--visibility-timeout", "2s",
                "--poll-interval", "200ms",
                "--log-level", "Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var gateway = new GatewayProcess(process, $"http://127.0.0.1:{ingestPort}", $"http://127.0.0.1:{managementPort}");
        using var probe = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                await Task.Delay(100);
                lock (output)
                {
                    throw new InvalidOperationException($"The gateway process exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)} before it was ready:\n{output}");
                }
            }

            try
            {
                using var response = await probe.GetAsync(gateway.ManagementUrl + "/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The gateway process was not ready within 30 seconds.");
    }

    /// <summary>Kills the process at once, as a node failure or OOM kill would: no graceful shutdown.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
