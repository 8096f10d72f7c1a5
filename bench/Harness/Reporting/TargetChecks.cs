using System.Globalization;
using FastHook.Bench.Orchestration;

namespace FastHook.Bench.Reporting;

/// <summary>
/// Compares a run with the targets FastHook sets itself. Targets are benchmark results to report, not assertions:
/// a missed target is recorded, never a failed run.
/// </summary>
internal static class TargetChecks
{
    private const int SmallBody = 1024;

    /// <summary>The memory budget per stored 1 KB event, before the per-attempt cost.</summary>
    private const double MemoryBudgetBytes = 1536;

    /// <summary>How much more CPU per event 10 or 100 connections may cost than 1 and still count as linear.</summary>
    private const double LinearCostTolerance = 1.5;

    public static void Evaluate(BenchResults results)
    {
        var bare = Ingest(results, "bare");
        var gateway = Ingest(results, "fasthook");
        var gatewayEndToEnd = BenchRun.Baseline(results, "fasthook", SmallBody);
        var relayEndToEnd = BenchRun.Baseline(results, "bullmq", SmallBody);

        if (bare is not null && gateway is not null)
        {
            var ratio = gateway.Saturation.Rate / bare.Saturation.Rate;
            Add(results, "ingest rate vs bare endpoint", $"{gateway.Saturation.Rate:0} / {bare.Saturation.Rate:0} = {ratio:P0}", "at least 50%", ratio >= 0.5);

            var gatewayP99 = Level(gateway, 0.5)?.Load.Latency.P99;
            var bareP99 = Level(bare, 0.5)?.Load.Latency.P99;
            if (gatewayP99 is { } g && bareP99 is { } b && b > 0)
            {
                Add(results, "ingest p99 at 50% load vs bare endpoint", $"{g:0.00} ms / {b:0.00} ms = {g / b:0.0}x", "at most 3x", g / b <= 3);
            }
        }

        if (bare is not null && gatewayEndToEnd is not null)
        {
            var ratio = gatewayEndToEnd.SustainedEventRate / bare.Saturation.Rate;
            Add(results, "end-to-end rate vs bare endpoint", $"{gatewayEndToEnd.SustainedEventRate:0} / {bare.Saturation.Rate:0} = {ratio:P0}", "at least 25%", ratio >= 0.25);
        }

        if (gatewayEndToEnd is not null && relayEndToEnd is not null)
        {
            var ratio = relayEndToEnd.SustainedEventRate > 0 ? gatewayEndToEnd.SustainedEventRate / relayEndToEnd.SustainedEventRate : double.PositiveInfinity;
            Add(results, "end-to-end rate vs BullMQ relay", $"{gatewayEndToEnd.SustainedEventRate:0} / {relayEndToEnd.SustainedEventRate:0} = {ratio:0.0}x", "at least 2x", ratio >= 2);
        }

        if (results.Memory is { } memory)
        {
            var perAttempt = results.Recovery?.BytesPerExtraAttempt ?? 0;
            var budget = MemoryBudgetBytes + perAttempt;
            Add(results, "Redis memory per delivered 1 KB event", $"{memory.BytesPerEvent:0} B (one attempt each; one attempt adds {perAttempt:0} B)",
                $"at most 1536 B + {perAttempt:0} B = {budget:0} B", memory.BytesPerEvent <= budget);
        }

        var costs = results.EndToEnd
            .Where(result => result.System == "fasthook" && result.BodySize == SmallBody && result.Gateways == 1 && result.SustainedRequestRate > 0)
            .Select(result => (result.Connections, Cost: CostPerEvent(result)))
            .Where(pair => pair.Cost > 0)
            .OrderBy(pair => pair.Connections)
            .ToList();
        if (costs.Count > 1 && costs[0].Connections == 1)
        {
            var baseline = costs[0].Cost;
            var worst = costs.Skip(1).Max(pair => pair.Cost / baseline);
            var text = string.Join(", ", costs.Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Connections}: {pair.Cost:0.000} ms")));
            Add(results, "CPU per delivered event by connections (linear cost)", $"{text}; worst {worst:0.00}x of 1 connection", $"at most {LinearCostTolerance}x", worst <= LinearCostTolerance);
        }

        var two = results.EndToEnd.FirstOrDefault(result => result.System == "fasthook" && result.Case == "gateways-2");
        if (two is not null && gatewayEndToEnd is not null)
        {
            Add(results, "two gateway processes vs one", $"{two.SustainedEventRate:0} vs {gatewayEndToEnd.SustainedEventRate:0} events/s", "more than one", two.SustainedEventRate > gatewayEndToEnd.SustainedEventRate);
        }
    }

    /// <summary>Gateway plus Redis CPU milliseconds per delivered event, from the passing probe with the highest rate.</summary>
    public static double CostPerEvent(EndToEndResult result)
    {
        var probe = result.Probes.Where(probe => probe.Passed).MaxBy(probe => probe.RequestRate);
        return probe is null ? 0 : probe.CpuMsPerEvent + probe.RedisCpuMsPerEvent;
    }

    public static IngestResult? Ingest(BenchResults results, string system, int bodySize = SmallBody) =>
        results.Ingest.FirstOrDefault(result => result.System == system && result.BodySize == bodySize && result.Variant.Length == 0);

    public static IngestLevel? Level(IngestResult result, double fraction) =>
        result.Levels.FirstOrDefault(level => Math.Abs(level.Fraction - fraction) < 0.001);

    private static void Add(BenchResults results, string name, string measured, string target, bool met) =>
        results.Targets.Add(new TargetCheck { Name = name, Measured = measured, Target = target, Met = met });
}
