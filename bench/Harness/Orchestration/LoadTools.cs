using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FastHook.Bench.Load;

namespace FastHook.Bench.Orchestration;

/// <summary>
/// Runs the two load generators as their own processes: wrk for closed-loop saturation, and this harness's
/// "load" command for fixed-rate runs.
/// </summary>
internal sealed class LoadTools(BenchPaths paths, string runDirectory)
{
    /// <summary>Connections of every wrk run and fixed-rate run unless a measurement sets another number.</summary>
    public const int DefaultConnections = 64;

    private readonly string _harness = BenchPaths.Harness;

    /// <summary>
    /// Runs wrk with one thread and <paramref name="connections"/> connections against <paramref name="url"/> for
    /// <paramref name="duration"/>, sending a fixed GitHub-signed body of <paramref name="bodySize"/> bytes.
    /// </summary>
    public async Task<WrkResult> WrkAsync(Uri url, int bodySize, TimeSpan duration, int connections = DefaultConnections)
    {
        var body = WebhookPayload.CreateBody(bodySize);
        WebhookPayload.WriteSendTime(body, WebhookPayload.UnixMicrosecondsNow());
        var bodyFile = Path.Combine(runDirectory, $"body-{bodySize}.json");
        await File.WriteAllBytesAsync(bodyFile, body);
        var signature = WebhookPayload.SignatureHeaderValue(WebhookSystem.Secret, body);

        var output = await RunAsync("wrk", [
            "-t1", "-c" + connections.ToString(CultureInfo.InvariantCulture), "-d" + WholeSeconds(duration) + "s", "--timeout", "10s",
            "-s", paths.WrkScript, url.ToString(), "--", bodyFile, signature,
        ], duration + TimeSpan.FromSeconds(30));

        var line = output.Split('\n').LastOrDefault(text => text.StartsWith('{'))
            ?? throw new InvalidOperationException("wrk printed no summary line:\n" + output);
        var result = JsonSerializer.Deserialize<WrkResult>(line, BenchJson.Options)!;
        result.Connections = connections;
        result.BodySize = bodySize;
        return result;
    }

    /// <summary>Runs one fixed-rate load and returns its result.</summary>
    public async Task<LoadResult> FixedRateAsync(IReadOnlyList<Uri> targets, double rate, int bodySize, TimeSpan duration, TimeSpan warmup, bool stamp, long? count = null, int connections = DefaultConnections)
    {
        var arguments = new List<string> { "load" };
        foreach (var target in targets)
        {
            arguments.AddRange(["--url", target.ToString()]);
        }

        arguments.AddRange([
            "--rate", rate.ToString("0.###", CultureInfo.InvariantCulture),
            "--body-size", bodySize.ToString(CultureInfo.InvariantCulture),
            "--warmup", Seconds(warmup),
            "--connections", connections.ToString(CultureInfo.InvariantCulture),
            "--secret", WebhookSystem.Secret,
        ]);
        arguments.AddRange(count is { } total ? ["--count", total.ToString(CultureInfo.InvariantCulture)] : ["--duration", Seconds(duration)]);
        if (stamp)
        {
            arguments.Add("--stamp");
        }

        var planned = count is { } n ? TimeSpan.FromSeconds(n / rate) : duration;
        var output = await RunAsync(_harness, arguments, (planned + warmup) * 1.5 + TimeSpan.FromSeconds(60));
        return JsonSerializer.Deserialize<LoadResult>(output, BenchJson.Options)
            ?? throw new InvalidOperationException("The load generator printed no result.");
    }

    /// <summary>wrk reads durations as whole numbers; this rounds up, to at least one second.</summary>
    private static string WholeSeconds(TimeSpan span) => Math.Max(1, (int)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Runs a command to completion and returns its standard output; throws on a non-zero exit or timeout.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
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

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout.TotalSeconds:0}s and was stopped.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', info.ArgumentList)} exited with code {process.ExitCode}:\n{await stderr}");
        }

        return await stdout;
    }
}

/// <summary>
/// The summary line of bench/wrk/github.lua, plus the settings of the run.
/// </summary>
internal sealed class WrkResult
{
    public long Requests { get; init; }

    public long DurationUs { get; init; }

    public long ConnectErrors { get; init; }

    public long ReadErrors { get; init; }

    public long WriteErrors { get; init; }

    /// <summary>Responses with a status other than 2xx or 3xx.</summary>
    public long StatusErrors { get; init; }

    public long Timeouts { get; init; }

    public double P50Ms { get; init; }

    public double P90Ms { get; init; }

    public double P99Ms { get; init; }

    public double P999Ms { get; init; }

    public double MaxMs { get; init; }

    public int Connections { get; set; }

    public int BodySize { get; set; }

    public double Rate => DurationUs > 0 ? Requests / (DurationUs / 1e6) : 0;

    public bool AllAcknowledged => ConnectErrors + ReadErrors + WriteErrors + StatusErrors + Timeouts == 0;
}
