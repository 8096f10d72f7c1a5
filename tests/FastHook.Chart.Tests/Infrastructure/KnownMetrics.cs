using FastHook.Gateway.Metrics;
using Prometheus;

namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// The metrics the gateway and the operator export, which alert rules and the dashboard may use. The gateway
/// list comes from the gateway's code and the operator list is the metrics contract in docs/helm.md.
/// KnownMetricsTests fails when README.md's Metrics section or docs/helm.md and these lists differ.
/// </summary>
internal static class KnownMetrics
{
    private static readonly GatewayMetrics Instance = new();

    /// <summary>Every metric the gateway registers, read from <see cref="GatewayMetrics"/> itself.</summary>
    public static readonly string[] Gateway = typeof(GatewayMetrics).GetProperties()
        .Where(property => typeof(Collector).IsAssignableFrom(property.PropertyType))
        .Select(property => ((Collector)property.GetValue(Instance)!).Name)
        .ToArray();

    // NOTE: the operator itself exports fasthook_operator_leader and fasthook_operator_work_queue_depth (without a
    // kind label), not the contract's fasthook_operator_is_leader and fasthook_operator_workqueue_depth, so
    // FastHookOperatorNoLeader and the dashboard's work queue panel find no series until one side is renamed.
    // OperatorMetricsLintTests scrapes the real names.
    public static readonly string[] Operator =
    [
        "fasthook_operator_reconcile_total",
        "fasthook_operator_reconcile_duration_seconds",
        "fasthook_operator_reconcile_errors_total",
        "fasthook_operator_workqueue_depth",
        "fasthook_operator_is_leader",
        "fasthook_operator_resource_ready",
    ];

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
