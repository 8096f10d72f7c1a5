using Prometheus;

namespace FastHook.Gateway.Metrics;

/// <summary>
/// The gateway's Prometheus metrics. Label values are resource names ("namespace/name") and outcome names only,
/// never request or event ids, so the number of series stays bounded.
/// </summary>
public sealed class GatewayMetrics
{
    public GatewayMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);

        RequestsReceived = factory.CreateCounter(
            "fasthook_requests_received_total",
            "Requests received by source and outcome (accepted, methodNotAllowed, tooLarge, unverified, unavailable, duplicate, handshake).",
            "source", "outcome");
        RequestsUnmatched = factory.CreateCounter(
            "fasthook_requests_unmatched_total",
            "Requests to a path that belongs to no source.");
        VerificationFailures = factory.CreateCounter(
            "fasthook_verification_failures_total",
            "Requests rejected by verification, by source and reason.",
            "source", "reason");
        IngestDuration = factory.CreateHistogram(
            "fasthook_ingest_duration_seconds",
            "Time from the start of a request to its response, for requests that reached capture.",
            new HistogramConfiguration { LabelNames = ["source"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        EventsRouted = factory.CreateCounter(
            "fasthook_events_routed_total",
            "Events created by routing a request to a connection.",
            "connection");
        DeliveryAttempts = factory.CreateCounter(
            "fasthook_delivery_attempts_total",
            "Delivery attempts by connection and outcome (success, serverError, clientError, tooManyRequests, requestTimeout, timeout, network).",
            "connection", "outcome");
        DeliveryDuration = factory.CreateHistogram(
            "fasthook_delivery_duration_seconds",
            "Duration of one delivery attempt.",
            new HistogramConfiguration { LabelNames = ["connection"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        DeliveryLatency = factory.CreateHistogram(
            "fasthook_delivery_latency_seconds",
            "Time from capturing a request to delivering its event, retries included.",
            new HistogramConfiguration { LabelNames = ["connection"], Buckets = Histogram.ExponentialBuckets(0.001, 4, 14) });
        RetriesScheduled = factory.CreateCounter(
            "fasthook_retries_scheduled_total",
            "Failed attempts that were scheduled for another try.",
            "connection");
        DeadLetters = factory.CreateCounter(
            "fasthook_dead_letters_total",
            "Events moved to the dead-letter stream, by connection and reason (exhausted, a non-retried outcome, requestMissing, lost, transformFailed).",
            "connection", "reason");
        EventsLost = factory.CreateCounter(
            "fasthook_events_lost_total",
            "Events Redis reported as deleted or trimmed while they waited for delivery.",
            "connection");
        EventsPending = factory.CreateGauge(
            "fasthook_events_pending",
            "Events waiting for delivery or in flight.",
            "connection");
        EventsScheduled = factory.CreateGauge(
            "fasthook_events_scheduled",
            "Events waiting for a retry.",
            "connection");
        OldestPendingAge = factory.CreateGauge(
            "fasthook_events_oldest_pending_age_seconds",
            "Age of the oldest event waiting for delivery, 0 when none waits.",
            "connection");
        Replays = factory.CreateCounter(
            "fasthook_replays_total",
            "Replays finished, by connection and result (succeeded, failed).",
            "connection", "result");
        EventsReplayed = factory.CreateCounter(
            "fasthook_events_replayed_total",
            "Events put back into delivery by a replay or a retry by hand.",
            "connection");
        RedisErrors = factory.CreateCounter(
            "fasthook_redis_errors_total",
            "Redis commands that failed, by the step that issued them (ingest, routing, delivery, scheduling, retention, replay).",
            "step");
        CircuitOpen = factory.CreateGauge(
            "fasthook_destination_circuit_open",
            "1 while a destination's circuit breaker holds deliveries (open or probing), else 0.",
            "destination");
        CircuitOpened = factory.CreateCounter(
            "fasthook_destination_circuit_opened_total",
            "Times a destination's circuit breaker opened.",
            "destination");
        EventsFiltered = factory.CreateCounter(
            "fasthook_events_filtered_total",
            "Requests not routed to a connection because they did not pass its filter, filter errors included.",
            "connection");
        FilterErrors = factory.CreateCounter(
            "fasthook_filter_errors_total",
            "Requests whose filter could not be evaluated, such as a CEL expression that failed; they are not routed.",
            "connection");
        TransformFailures = factory.CreateCounter(
            "fasthook_transform_failures_total",
            "Transform runs that failed, by connection and reason (error, timeout, memoryLimit, recursionLimit, invalidResult); their events are dead-lettered.",
            "connection", "reason");
        TransformDuration = factory.CreateHistogram(
            "fasthook_transform_duration_seconds",
            "Duration of one transform run, failed runs included.",
            new HistogramConfiguration { LabelNames = ["connection"], Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });
        RequestsExpired = factory.CreateCounter(
            "fasthook_requests_trimmed_total",
            "Captured requests removed by retention, by source.",
            "source");
    }

    public CollectorRegistry Registry { get; }

    public Gauge CircuitOpen { get; }

    public Counter CircuitOpened { get; }

    public Counter RequestsReceived { get; }

    public Counter RequestsUnmatched { get; }

    public Counter VerificationFailures { get; }

    public Histogram IngestDuration { get; }

    public Counter EventsRouted { get; }

    public Counter DeliveryAttempts { get; }

    public Histogram DeliveryDuration { get; }

    public Histogram DeliveryLatency { get; }

    public Counter RetriesScheduled { get; }

    public Counter DeadLetters { get; }

    public Counter EventsLost { get; }

    public Gauge EventsPending { get; }

    public Gauge EventsScheduled { get; }

    public Gauge OldestPendingAge { get; }

    public Counter Replays { get; }

    public Counter EventsReplayed { get; }

    public Counter RedisErrors { get; }

    public Counter RequestsExpired { get; }

    public Counter EventsFiltered { get; }

    public Counter FilterErrors { get; }

    public Counter TransformFailures { get; }

    public Histogram TransformDuration { get; }
}
