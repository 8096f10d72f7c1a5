using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using HdrHistogram;

namespace FastHook.Bench.Load;

/// <summary>
/// An open-loop load generator: request i is due at start + i / rate whatever happened to earlier requests, and
/// its latency is measured from that due time, not from when it was actually sent. A server that stalls therefore
/// shows the full wait its callers saw (no coordinated omission), as wrk2 measures.
/// Each connection has its own thread and takes every C-th request of the schedule: it sleeps until the request
/// is due (clock_nanosleep on the monotonic clock), sends it, and blocks for the response. Blocking calls on
/// dedicated threads cost the generator far less CPU per request than async sockets, which matters on a small
/// machine where the generator shares the cores with the system under test.
/// </summary>
internal sealed partial class FixedRateGenerator(LoadOptions options)
{
    /// <summary>Largest latency recorded, in microseconds; larger values are clamped.</summary>
    private const long MaxLatencyMicroseconds = 60_000_000;

    private long _start;
    private long _stopAt;
    private long _succeeded;
    private long _failedStatus;
    private long _errors;
    private long _timeouts;
    private long _maxLagTicks;
    private long _lastCompletion;
    private int _stoppedByDeadline;

    public LoadResult Run()
    {
        if (Stopwatch.Frequency != 1_000_000_000)
        {
            throw new PlatformNotSupportedException($"The generator needs a nanosecond Stopwatch on CLOCK_MONOTONIC, as .NET has on Linux; this one ticks {Stopwatch.Frequency} times a second.");
        }

        var body = WebhookPayload.CreateBody(options.BodySize);
        WebhookPayload.WriteSendTime(body, WebhookPayload.UnixMicrosecondsNow());
        var connections = Enumerable.Range(0, options.Connections)
            .Select(i => new LoadConnection(options.Targets[i % options.Targets.Count], body, options.Secret, i))
            .ToArray();
        foreach (var connection in connections)
        {
            connection.EnsureOpen(options.RequestTimeout);
        }

        // The run stops by itself: all requests answered, or this deadline, whichever comes first.
        var planned = TimeSpan.FromSeconds(options.TotalRequests / options.Rate);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        _start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 50);
        _stopAt = _start + (long)(((planned * 1.5) + options.RequestTimeout + TimeSpan.FromSeconds(5)).TotalSeconds * Stopwatch.Frequency);

        var latencies = new LongHistogram[connections.Length];
        var serviceTimes = new LongHistogram[connections.Length];
        var threads = new Thread[connections.Length];
        for (var i = 0; i < connections.Length; i++)
        {
            var index = i;
            latencies[i] = new LongHistogram(1, MaxLatencyMicroseconds, 3);
            serviceTimes[i] = new LongHistogram(1, MaxLatencyMicroseconds, 3);
            threads[i] = new Thread(() => RunConnection(connections[index], index, latencies[index], serviceTimes[index]))
            {
                IsBackground = true,
                Name = $"load {index}",
            };
            threads[i].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        foreach (var connection in connections)
        {
            connection.Dispose();
        }

        var latency = new LongHistogram(1, MaxLatencyMicroseconds, 3);
        var serviceTime = new LongHistogram(1, MaxLatencyMicroseconds, 3);
        for (var i = 0; i < connections.Length; i++)
        {
            latency.Add(latencies[i]);
            serviceTime.Add(serviceTimes[i]);
        }

        var measuredStart = DueTime(options.WarmupRequests);
        var measuredSeconds = Stopwatch.GetElapsedTime(measuredStart, Math.Max(_lastCompletion, measuredStart)).TotalSeconds;
        var completed = _succeeded + _failedStatus;
        return new LoadResult
        {
            TargetRate = options.Rate,
            Connections = options.Connections,
            BodySize = options.BodySize,
            Planned = options.MeasuredRequests,
            Completed = completed,
            Succeeded = _succeeded,
            FailedStatus = _failedStatus,
            Errors = _errors,
            Timeouts = _timeouts,
            StoppedByDeadline = _stoppedByDeadline != 0,
            DurationSeconds = measuredSeconds,
            AchievedRate = measuredSeconds > 0 ? completed / measuredSeconds : 0,
            MaxLagMs = _maxLagTicks * 1000.0 / Stopwatch.Frequency,
            Latency = LatencySummary.From(latency),
            ServiceTime = LatencySummary.From(serviceTime),
            GeneratorCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds,
        };
    }

    private long DueTime(long sequence) => _start + (long)(sequence * (Stopwatch.Frequency / options.Rate));

    /// <summary>Sends requests index, index + C, index + 2C, ... of the schedule on one connection.</summary>
    private void RunConnection(LoadConnection connection, int index, LongHistogram latency, LongHistogram serviceTime)
    {
        // The kernel may delay a timed sleep by its timer slack (50 µs by default); 1 µs keeps wake-ups on time.
        _ = Native.prctl(Native.PrSetTimerSlack, 1000, 0, 0, 0);

        var total = options.TotalRequests;
        var warmup = options.WarmupRequests;
        for (long sequence = index; sequence < total; sequence += options.Connections)
        {
            var due = DueTime(sequence);
            SleepUntil(due);

            var sent = Stopwatch.GetTimestamp();
            if (sent > _stopAt)
            {
                Interlocked.Exchange(ref _stoppedByDeadline, 1);
                return;
            }

            InterlockedMax(ref _maxLagTicks, sent - due);
            int status;
            try
            {
                connection.EnsureOpen(options.RequestTimeout);
                status = connection.Send(options.StampEachRequest);
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                Interlocked.Increment(ref _timeouts);
                connection.Close();
                continue;
            }
            catch (Exception exception) when (exception is SocketException or IOException)
            {
                Interlocked.Increment(ref _errors);
                connection.Close();
                continue;
            }

            var done = Stopwatch.GetTimestamp();
            InterlockedMax(ref _lastCompletion, done);
            if (sequence < warmup)
            {
                continue;
            }

            Interlocked.Increment(ref status is >= 200 and < 300 ? ref _succeeded : ref _failedStatus);
            latency.RecordValue(Math.Clamp(Microseconds(done - due), 1, MaxLatencyMicroseconds));
            serviceTime.RecordValue(Math.Clamp(Microseconds(done - sent), 1, MaxLatencyMicroseconds));
        }
    }

    /// <summary>
    /// Sleeps until the Stopwatch timestamp <paramref name="due"/>. On Linux, Stopwatch reads CLOCK_MONOTONIC in
    /// nanoseconds, so the timestamp is the absolute time clock_nanosleep takes.
    /// </summary>
    private static void SleepUntil(long due)
    {
        if (Stopwatch.GetTimestamp() >= due)
        {
            return;
        }

        var nanoseconds = due * (1_000_000_000 / Stopwatch.Frequency);
        var time = new Native.TimeSpec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
        while (Native.clock_nanosleep(Native.ClockMonotonic, Native.TimerAbsoluteTime, ref time, IntPtr.Zero) == Native.Interrupted)
        {
            // A signal interrupted the sleep; an absolute sleep resumes with the same deadline.
        }
    }

    private static long Microseconds(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static partial class Native
    {
        public const int ClockMonotonic = 1;
        public const int TimerAbsoluteTime = 1;
        public const int Interrupted = 4;
        public const int PrSetTimerSlack = 29;

        [StructLayout(LayoutKind.Sequential)]
        public struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        /// <summary>Sleeps until an absolute time of a clock; returns 0, or an error number such as EINTR.</summary>
        [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
        public static partial int clock_nanosleep(int clock, int flags, ref TimeSpec time, IntPtr remaining);

        [LibraryImport("libc", EntryPoint = "prctl")]
        public static partial int prctl(int option, ulong argument2, ulong argument3, ulong argument4, ulong argument5);
    }
}
