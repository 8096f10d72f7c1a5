using FastHook.Gateway.Metrics;
using FastHook.Operator.Hosting;
using Prometheus;

namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// The metrics the gateway and the operator export, which alert rules and the dashboard may use. Both lists
/// come from the code that registers the metrics.
/// KnownMetricsTests fails when README.md's Metrics section or docs/helm.md and these lists differ.
/// </summary>
internal static class KnownMetrics
{
    private static readonly GatewayMetrics Instance = new();

    private static readonly OperatorMetrics OperatorInstance = new();

    /// <summary>Every metric the gateway registers, read from <see cref="GatewayMetrics"/> itself.</summary>
    public static readonly string[] Gateway = typeof(GatewayMetrics).GetProperties()
        .Where(property => typeof(Collector).IsAssignableFrom(property.PropertyType))
        .Select(property => ((Collector)property.GetValue(Instance)!).Name)
        .ToArray();

    /// <summary>Every metric the operator registers, read from <see cref="OperatorMetrics"/> itself.</summary>
    public static readonly string[] Operator = typeof(OperatorMetrics).GetProperties()
        .Where(property => typeof(Collector).IsAssignableFrom(property.PropertyType))
        .Select(property => ((Collector)property.GetValue(OperatorInstance)!).Name)
        .ToArray();

    /// <summary>
    /// Histograms, which Prometheus exposes as the _bucket, _sum and _count series.
    /// </summary>
    public static readonly string[] Histograms =
    [
        .. typeof(GatewayMetrics).GetProperties()
            .Where(property => property.PropertyType == typeof(Histogram))
            .Select(property => ((Histogram)property.GetValue(Instance)!).Name),
        "fasthook_operator_reconcile_duration_seconds",
    ];

    /// <summary>
    /// Returns whether <paramref name="series"/> is a series that FastHook exports.
    /// </summary>
    public static bool IsExported(string series)
    {
        if (Gateway.Contains(series) || Operator.Contains(series))
        {
            return true;
        }

        return Histograms.Any(histogram =>
            series == histogram + "_bucket" || series == histogram + "_sum" || series == histogram + "_count");
    }
}
