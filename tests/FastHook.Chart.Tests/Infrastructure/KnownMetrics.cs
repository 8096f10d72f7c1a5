namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// The metrics the gateway and the operator export, which alert rules and the dashboard may use. The gateway
/// list is README.md's Metrics section and the operator list is the metrics contract in docs/helm.md.
/// KnownMetricsTests fails when either document and this list differ.
/// </summary>
internal static class KnownMetrics
{
    public static readonly string[] Gateway =
    [
        "fasthook_requests_received_total",
        "fasthook_verification_failures_total",
        "fasthook_ingest_duration_seconds",
        "fasthook_events_routed_total",
        "fasthook_delivery_attempts_total",
        "fasthook_delivery_duration_seconds",
        "fasthook_delivery_latency_seconds",
        "fasthook_retries_scheduled_total",
        "fasthook_dead_letters_total",
        "fasthook_events_lost_total",
        "fasthook_events_pending",
        "fasthook_events_scheduled",
        "fasthook_events_oldest_pending_age_seconds",
        "fasthook_replays_total",
        "fasthook_events_replayed_total",
        "fasthook_redis_errors_total",
        "fasthook_requests_trimmed_total",
    ];

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
        "fasthook_ingest_duration_seconds",
        "fasthook_delivery_duration_seconds",
        "fasthook_delivery_latency_seconds",
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
