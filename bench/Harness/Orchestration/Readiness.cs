using System.Diagnostics;

namespace FastHook.Bench.Orchestration;

/// <summary>
/// Waits until servers the harness started respond.
/// </summary>
internal static class Readiness
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>
    /// Polls <paramref name="url"/> until it responds with a status below 500, or throws when
    /// <paramref name="timeout"/> passes or <paramref name="process"/> exits; the message names the log to read.
    /// </summary>
    public static async Task WaitForHttpAsync(string url, ManagedProcess process, TimeSpan timeout, string logDirectory)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited while starting; see {Path.Combine(logDirectory, process.Name + ".log")}.");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(url));
                if ((int)response.StatusCode < 500)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{process.Name} did not respond on {url} within {timeout.TotalSeconds:0}s; see {Path.Combine(logDirectory, process.Name + ".log")}.");
    }
}
