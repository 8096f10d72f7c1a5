using System.Collections.Concurrent;

namespace FastHook.Gateway.Diagnostics;

/// <summary>
/// Lets a repeated log message through once per interval and key, and counts what it held back,
/// so a flood of bad requests or a Redis outage cannot flood the log.
/// </summary>
public sealed class LogThrottle(TimeProvider clock, TimeSpan interval)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>
    /// Returns true when a message for <paramref name="key"/> may be logged now, with the number of messages
    /// held back since the last one that was let through.
    /// </summary>
    public bool ShouldLog(string key, out long suppressed)
    {
        var now = clock.GetTimestamp();
        var window = _windows.GetOrAdd(key, _ => new Window());
        lock (window)
        {
            if (window.LastLogged != 0 && clock.GetElapsedTime(window.LastLogged, now) < interval)
            {
                window.Suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = window.Suppressed;
            window.Suppressed = 0;
            window.LastLogged = now;
            return true;
        }
    }

    private sealed class Window
    {
        public long LastLogged { get; set; }

        public long Suppressed { get; set; }
    }
}
