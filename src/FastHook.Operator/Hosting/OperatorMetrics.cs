using Prometheus;

namespace FastHook.Operator.Hosting;

/// <summary>
/// The operator's Prometheus metrics, in a registry of their own so that several operators in one process
/// (as in tests) do not share values.
/// </summary>
public sealed class OperatorMetrics
{
    public OperatorMetrics()
    {
        var factory = Metrics.WithCustomRegistry(Registry);
        Reconciles = factory.CreateCounter("fasthook_operator_reconcile_total", "Reconciles by kind and result (success, requeue, error).", "kind", "result");
        ReconcileDuration = factory.CreateHistogram("fasthook_operator_reconcile_duration_seconds", "Time one reconcile took, by kind.",
            new HistogramConfiguration { LabelNames = ["kind"], Buckets = Histogram.ExponentialBuckets(0.005, 2, 12) });
        Errors = factory.CreateCounter("fasthook_operator_reconcile_errors_total", "Reconciles that failed with an error, by kind.", "kind");
        QueueDepth = factory.CreateGauge("fasthook_operator_workqueue_depth", "Keys waiting in the work queue.");
        Leader = factory.CreateGauge("fasthook_operator_is_leader", "1 while this instance is the leader that reconciles, else 0.");
        ResourceReady = factory.CreateGauge("fasthook_operator_resource_ready", "1 when the resource's Ready condition is True, else 0.", "kind", "namespace", "name");
    }

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public Counter Reconciles { get; }

    public Histogram ReconcileDuration { get; }

    public Counter Errors { get; }

    public Gauge QueueDepth { get; }

    public Gauge Leader { get; }

    public Gauge ResourceReady { get; }

    public void SetReady(string kind, string? ns, string? name, bool ready) => ResourceReady.WithLabels(kind, ns ?? "", name ?? "").Set(ready ? 1 : 0);

    public void RemoveReady(string kind, string ns, string name) => ResourceReady.RemoveLabelled(kind, ns, name);
}
