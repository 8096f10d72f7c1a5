using System.Diagnostics;

namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// A command-line tool that the tests run as a process: helm or promtool, as installed by `make chart-deps`
/// into .tmp/tools/bin, else the first one on PATH.
/// </summary>
internal sealed class ExternalTool
{
    private static readonly Lazy<ExternalTool> LazyHelm = new(() => Find("helm"));
    private static readonly Lazy<ExternalTool> LazyPromtool = new(() => Find("promtool"));

    private ExternalTool(string name, string path)
    {
        Name = name;
        FilePath = path;
    }

    public static ExternalTool Helm => LazyHelm.Value;

    public static ExternalTool Promtool => LazyPromtool.Value;

    public string Name { get; }

    public string FilePath { get; }

    /// <summary>
    /// Runs the tool and waits for it to exit, killing it after <paramref name="timeout"/> (default 2 minutes).
    /// <paramref name="standardInput"/>, when given, is written to the tool's standard input, which is then closed.
    /// </summary>
    public ToolResult Run(IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null, string? standardInput = null)
    {
        var startInfo = new ProcessStartInfo(FilePath)
        {
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Helm would otherwise read and write the caller's ~/.config, ~/.cache and kubeconfig.
        var helmHome = Path.Combine(Path.GetTempPath(), "fasthook-chart-tests-helm");
        startInfo.Environment["HELM_CONFIG_HOME"] = Path.Combine(helmHome, "config");
        startInfo.Environment["HELM_CACHE_HOME"] = Path.Combine(helmHome, "cache");
        startInfo.Environment["HELM_DATA_HOME"] = Path.Combine(helmHome, "data");
        startInfo.Environment["KUBECONFIG"] = Path.Combine(helmHome, "no-kubeconfig");

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"{FilePath} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        var limit = timeout ?? TimeSpan.FromMinutes(2);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Name} {string.Join(' ', startInfo.ArgumentList)} timed out after {limit.TotalSeconds} s.");
        }

        process.WaitForExit();
        return new ToolResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    private static ExternalTool Find(string name)
    {
        var installed = Path.Combine(RepositoryPaths.Root, ".tmp", "tools", "bin", name);
        if (File.Exists(installed))
        {
            return new ExternalTool(name, installed);
        }

        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return new ExternalTool(name, candidate);
            }
        }

        throw new InvalidOperationException(
            $"{name} was not found in .tmp/tools/bin or on PATH. Run `make chart-deps` in the repository root to install it.");
    }
}

/// <summary>
/// Exit code and output of one run of an <see cref="ExternalTool"/>.
/// </summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
