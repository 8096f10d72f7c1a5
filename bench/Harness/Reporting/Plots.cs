using ScottPlot;

namespace FastHook.Bench.Reporting;

/// <summary>
/// Draws a run's PNG plots with ScottPlot: ingest latency percentiles, end-to-end latency percentiles, and
/// throughput of every system and case side by side. Latency axes are logarithmic.
/// </summary>
internal static class Plots
{
    private const int Width = 1000;
    private const int Height = 600;

    private static readonly string[] PercentileLabels = ["p50", "p90", "p99", "p99.9"];

    private static readonly Dictionary<string, Color> SystemColors = new(StringComparer.Ordinal)
    {
        ["bare"] = Colors.Gray,
        ["fasthook"] = Colors.Blue,
        ["bullmq"] = Colors.OrangeRed,
    };

    /// <summary>Writes STAMP-ingest-latency-1k.png, STAMP-ingest-latency-64k.png, STAMP-e2e-latency.png and STAMP-throughput.png.</summary>
    public static IReadOnlyList<string> Write(BenchResults results, string directory, string stamp)
    {
        var files = new List<string>();
        foreach (var bodySize in results.Ingest.Select(ingest => ingest.BodySize).Distinct())
        {
            var file = Path.Combine(directory, $"{stamp}-ingest-latency-{bodySize / 1024}k.png");
            WriteIngestLatency(results, bodySize, file);
            files.Add(file);
        }

        var endToEnd = Path.Combine(directory, $"{stamp}-e2e-latency.png");
        WriteEndToEndLatency(results, endToEnd);
        files.Add(endToEnd);

        var throughput = Path.Combine(directory, $"{stamp}-throughput.png");
        WriteThroughput(results, throughput);
        files.Add(throughput);
        return files;
    }

    private static void WriteIngestLatency(BenchResults results, int bodySize, string file)
    {
        var plot = new Plot();
        var patterns = new[] { LinePattern.Dotted, LinePattern.Dashed, LinePattern.Solid };
        foreach (var ingest in results.Ingest.Where(ingest => ingest.BodySize == bodySize && ingest.Levels.Count > 0))
        {
            for (var i = 0; i < ingest.Levels.Count; i++)
            {
                var level = ingest.Levels[i];
                var latency = level.Load.Latency;
                AddPercentiles(plot, [latency.P50, latency.P90, latency.P99, latency.P999], $"{ingest.System} at {level.Fraction:P0} ({level.Load.TargetRate:0}/s)",
                    ColorOf(ingest.System), patterns[Math.Min(i, patterns.Length - 1)]);
            }
        }

        Finish(plot, $"Ingest latency, {bodySize / 1024} KB bodies, fixed rate at 25/50/90% of each system's saturation", "latency (ms, log scale)", file);
    }

    private static void WriteEndToEndLatency(BenchResults results, string file)
    {
        var plot = new Plot();
        foreach (var result in results.EndToEnd.Where(result => result.Case == "baseline" && result.HalfLoad is not null))
        {
            var stats = result.HalfLoad!.Receiver;
            var pattern = result.BodySize > 1024 ? LinePattern.Dashed : LinePattern.Solid;
            AddPercentiles(plot, [stats.LatencyP50Ms, stats.LatencyP90Ms, stats.LatencyP99Ms, stats.LatencyP999Ms],
                $"{result.System} {result.BodySize / 1024} KB at {result.HalfLoad.RequestRate:0}/s", ColorOf(result.System), pattern);
        }

        Finish(plot, "Send-to-delivery latency at 50% of the sustained end-to-end rate", "latency (ms, log scale)", file);
    }

    private static void WriteThroughput(BenchResults results, string file)
    {
        var rows = new List<(string Label, double Value, Color Color)>();
        foreach (var redis in results.RedisLimit)
        {
            rows.Add(($"redis-benchmark XADD 1 KB, pipeline {redis.Pipeline}", redis.RequestsPerSecond, Colors.DarkGreen));
        }

        foreach (var ingest in results.Ingest)
        {
            var variant = ingest.Variant.Length == 0 ? "" : $" ({ingest.Variant})";
            rows.Add(($"ingest {ingest.System}{variant} {ingest.BodySize / 1024} KB", ingest.Saturation.Rate, ColorOf(ingest.System)));
        }

        foreach (var result in results.EndToEnd)
        {
            rows.Add(($"end-to-end {result.System} {result.Case} {result.BodySize / 1024} KB (events)", result.SustainedEventRate, ColorOf(result.System).WithAlpha(0.6)));
        }

        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (var i = 0; i < rows.Count; i++)
        {
            var position = rows.Count - i;
            bars.Add(new Bar { Position = position, Value = rows[i].Value, FillColor = rows[i].Color, Label = rows[i].Value.ToString("0", System.Globalization.CultureInfo.InvariantCulture) });
            ticks.Add(new Tick(position, rows[i].Label));
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontSize = 11;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Margins(left: 0, right: 0.15);
        plot.Title("Throughput in one run (per second; higher is better)");
        plot.XLabel("requests or events per second");
        plot.SavePng(file, Width + 200, Math.Max(Height, 60 + (rows.Count * 28)));
    }

    /// <summary>Adds one line over the four percentiles, in log10 of milliseconds.</summary>
    private static void AddPercentiles(Plot plot, double[] milliseconds, string label, Color color, LinePattern pattern)
    {
        double[] xs = [0, 1, 2, 3];
        var ys = milliseconds.Select(value => Math.Log10(Math.Max(value, 0.001))).ToArray();
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = label;
        line.Color = color;
        line.LinePattern = pattern;
        line.LineWidth = 2;
        line.MarkerSize = 6;
    }

    private static void Finish(Plot plot, string title, string yLabel, string file)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([0, 1, 2, 3], PercentileLabels);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = value => Math.Pow(10, value).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.Left.Label.Text = yLabel;
        plot.Title(title);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(file, Width, Height);
    }

    private static Color ColorOf(string system) => SystemColors.GetValueOrDefault(system, Colors.Black);
}
