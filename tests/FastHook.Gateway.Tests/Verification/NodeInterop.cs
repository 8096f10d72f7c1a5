using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Verification;

/// <summary>
/// Runs the scripts in tests/interop with node, passing JSON on standard input and reading JSON from standard
/// output. The npm packages they use are installed by <c>make interop-deps</c>; when they are missing the test
/// fails with that instruction rather than being skipped.
/// </summary>
public static class NodeInterop
{
    private static TimeSpan Timeout => TimeSpan.FromSeconds(60);

    /// <summary>The repository's root: the nearest folder above the test assembly that contains FastHook.Operator.sln.</summary>
    public static string RepositoryRoot => RepositoryPaths.Root;

    public static async Task<JsonObject> RunAsync(string script, object input)
    {
        var interop = Path.Combine(RepositoryRoot, "tests", "interop");
        if (!Directory.Exists(Path.Combine(interop, "node_modules")))
        {
            throw new InvalidOperationException($"{Path.Combine(interop, "node_modules")} is missing: run `make interop-deps` (npm ci --prefix tests/interop) to install the providers' libraries, then run the tests again.");
        }

        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(interop, script) },
            WorkingDirectory = interop,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException("node is not installed or not on PATH: install Node.js 20 or later, then run `make interop-deps`.", exception);
        }

        using (process)
        {
            await process.StandardInput.WriteAsync(JsonSerializer.Serialize(input));
            process.StandardInput.Close();

            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"node {script} did not finish within {Timeout.TotalSeconds}s.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"node {script} exited with {process.ExitCode}: {await error}");
            }

            return JsonNode.Parse(await output) as JsonObject
                ?? throw new InvalidOperationException($"node {script} printed no JSON object: {await output}");
        }
    }

    /// <summary>Signs with a provider's own library (tests/interop/sign.mjs) and returns the headers it produced.</summary>
    public static async Task<Dictionary<string, string>> SignAsync(object input)
    {
        var result = await RunAsync("sign.mjs", input);
        return result["headers"]!.AsObject().ToDictionary(header => header.Key, header => header.Value!.GetValue<string>());
    }
}
