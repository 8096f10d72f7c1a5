using FastHook.Bench.Orchestration;

namespace FastHook.Bench.Reporting;

/// <summary>
/// Reads the machine facts a result needs to be compared: cores, CPU model, memory, kernel and tool versions.
/// </summary>
internal static class MachineInfoReader
{
    public static async Task<MachineInfo> ReadAsync(BenchPaths paths)
    {
        var cpuModel = File.ReadLines("/proc/cpuinfo")
            .FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memoryKilobytes = File.ReadLines("/proc/meminfo")
            .First(line => line.StartsWith("MemTotal:", StringComparison.Ordinal))["MemTotal:".Length..].Trim().Split(' ')[0];

        return new MachineInfo
        {
            ProcessorCount = Environment.ProcessorCount,
            CpuModel = cpuModel,
            MemoryBytes = long.Parse(memoryKilobytes, System.Globalization.CultureInfo.InvariantCulture) * 1024,
            Kernel = (await File.ReadAllTextAsync("/proc/sys/kernel/osrelease")).Trim(),
            RedisVersion = await VersionAsync("redis-server", "--version"),
            DotnetVersion = await VersionAsync("dotnet", "--version"),
            NodeVersion = await VersionAsync("node", "--version"),
            WrkVersion = await VersionAsync("wrk", "--version"),
            GitCommit = await VersionAsync("git", "-C", paths.Root, "rev-parse", "--short", "HEAD"),
            LoadAverageStart = LoadAverage(),
        };
    }

    /// <summary>The 1-minute load average, the first field of /proc/loadavg.</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Returns the first line a version command prints, or "unknown" when it fails.</summary>
    private static async Task<string> VersionAsync(string fileName, params string[] arguments)
    {
        try
        {
            // wrk prints its version with a usage text and exits with code 1, so the exit code is not checked.
            var info = new System.Diagnostics.ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = System.Diagnostics.Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
