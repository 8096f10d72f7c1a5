using System.Diagnostics;
using System.Globalization;

namespace FastHook.Bench.Orchestration;

/// <summary>
/// A server process the harness started: its output goes to a log file, and its CPU time and resident memory
/// are read from /proc. Disposing stops it, with SIGTERM first and SIGKILL after a grace period.
/// </summary>
internal sealed class ManagedProcess : IDisposable
{
    /// <summary>Clock ticks per second of /proc/PID/stat times; 100 on Linux for every mainstream architecture.</summary>
    private const double ClockTicksPerSecond = 100;

    private readonly Process _process;
    private readonly StreamWriter _log;

    private ManagedProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>; output goes to LOGDIR/NAME.log.</summary>
    public static ManagedProcess Start(string name, string fileName, IEnumerable<string> arguments, string logDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(Path.Combine(logDirectory, name + ".log"), append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, line) => WriteLine(log, line.Data);
        process.ErrorDataReceived += (_, line) => WriteLine(log, line.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {fileName}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ManagedProcess(name, process, log);
    }

    /// <summary>User plus system CPU seconds the process has used so far, from /proc/PID/stat.</summary>
    public double CpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Id}/stat");

            // Fields after the command name, which is in parentheses and may contain spaces: utime and stime are
            // fields 14 and 15 of the whole line, so 12 and 13 after the closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks / ClockTicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Resident memory in bytes (VmRSS of /proc/PID/status), or 0 once the process is gone.</summary>
    public long ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>Sends SIGTERM, waits up to <paramref name="grace"/>, then kills the process.</summary>
    public void Stop(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = Native.Kill(_process.Id, Native.SigTerm);
        if (!_process.WaitForExit(grace))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(5));
        }
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(10));
        _process.Dispose();
        _log.Dispose();
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
