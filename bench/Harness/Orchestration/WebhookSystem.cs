using System.Diagnostics;

namespace FastHook.Bench.Orchestration;

/// <summary>
/// A system under test: something that takes signed webhooks on one or more URLs and, except for the bare
/// endpoint, delivers them to a benchmark receiver through Redis.
/// </summary>
internal abstract class WebhookSystem : IDisposable
{
    /// <summary>The shared GitHub webhook secret of every benchmark source.</summary>
    public const string Secret = "fasthook-bench-github-secret";

    /// <summary>
    /// Deliveries in flight per destination and process: the gateway's maxConcurrency and the relay's worker
    /// concurrency. The "run" and "profile" commands set it from --max-concurrency before any system starts.
    /// </summary>
    public static int DeliveryConcurrency { get; set; } = 16;

    /// <summary>Short name used in results: bare, fasthook or bullmq.</summary>
    public abstract string Name { get; }

    public abstract IReadOnlyList<Uri> IngestUrls { get; }

    /// <summary>The processes whose CPU and memory are the system's own: the endpoint, gateways or relay.</summary>
    public abstract IReadOnlyList<ManagedProcess> Processes { get; }

    public virtual RedisInstance? Redis => null;

    public virtual ReceiverInstance? Receiver => null;

    /// <summary>Deliveries each accepted request turns into: the number of connections of the source.</summary>
    public virtual int Fanout => 1;

    /// <summary>Requests the system has acknowledged since it started.</summary>
    public virtual Task<long> AcceptedAsync() => Task.FromResult(0L);

    /// <summary>
    /// Waits until every acknowledged request has been delivered, as the receiver counts distinct event ids, so that
    /// a delivery repeated after a timeout does not count twice. Returns false when
    /// <paramref name="timeout"/> passes or deliveries stop progressing for <paramref name="stall"/>.
    /// </summary>
    public async Task<bool> WaitForDrainAsync(TimeSpan timeout, TimeSpan stall)
    {
        if (Receiver is not { } receiver)
        {
            return true;
        }

        var started = Stopwatch.GetTimestamp();
        var lastProgress = Stopwatch.GetTimestamp();
        var lastDelivered = -1L;
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            var expected = await AcceptedAsync() * Fanout;
            // A request whose client hung up while it was being captured is stored and delivered, but the gateway
            // does not count it as accepted. So the count can pass the expected number while deliveries still
            // arrive, and the backlog is gone only when the count also stays still for half a second.
            var delivered = (await receiver.StatsAsync()).DistinctEvents;
            if (delivered >= expected)
            {
                await Task.Delay(500);
                if ((await receiver.StatsAsync()).DistinctEvents == delivered)
                {
                    return true;
                }

                continue;
            }

            if (delivered != lastDelivered)
            {
                lastDelivered = delivered;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > stall)
            {
                return false;
            }

            await Task.Delay(200);
        }

        return false;
    }

    /// <summary>Sum of CPU seconds used so far by the system's processes and, when it has one, its Redis server.</summary>
    public (double System, double Redis) CpuSeconds() =>
        (Processes.Sum(process => process.CpuSeconds()), Redis?.Process.CpuSeconds() ?? 0);

    public long ResidentBytes() => Processes.Sum(process => process.ResidentBytes());

    public abstract void Dispose();
}
