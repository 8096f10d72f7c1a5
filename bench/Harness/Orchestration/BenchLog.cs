using System.Diagnostics;

namespace FastHook.Bench.Orchestration;

/// <summary>
/// Progress lines on standard error, with the time since the run started, and notes kept for the results file.
/// </summary>
internal sealed class BenchLog(List<string> notes)
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public void Step(string message) => Write("  ", message);

    public void Result(string message) => Write("= ", message);

    /// <summary>Logs a problem and keeps it in the results' notes.</summary>
    public void Note(string message)
    {
        Write("! ", message);
        lock (notes)
        {
            notes.Add(message);
        }
    }

    private void Write(string marker, string message) =>
        Console.Error.WriteLine($"[{Stopwatch.GetElapsedTime(_started):hh\\:mm\\:ss}] {marker}{message}");
}
