using FastHook.Api.V1Alpha1;

namespace FastHook.Api.Manifests;

/// <summary>
/// Checks of the flow-control settings: rate limits, circuit breakers, retry schedules, delays and ordering.
/// </summary>
public static partial class ManifestValidator
{
    private static void ValidateDestinationFlowControl(Check check, DestinationSpec spec)
    {
        if (spec.RateLimit is { } rateLimit)
        {
            if (rateLimit.Requests is not { } requests || requests < 1 || requests > 1_000_000)
            {
                check.Error("spec.rateLimit.requests", $"\"{rateLimit.Requests}\" is out of range: give the requests allowed per period, 1 to 1000000");
            }

            check.Duration("spec.rateLimit.per", rateLimit.Per);
            if (rateLimit.Burst is { } burst && (burst < 1 || burst > 1_000_000))
            {
                check.Error("spec.rateLimit.burst", $"{burst} is out of range: use 1 to 1000000");
            }
        }

        if (spec.CircuitBreaker is { } breaker)
        {
            if (breaker.FailureThreshold is { } threshold && (threshold < 1 || threshold > 1000))
            {
                check.Error("spec.circuitBreaker.failureThreshold", $"{threshold} is out of range: use 1 to 1000 failed attempts in a row");
            }

            check.Duration("spec.circuitBreaker.coolDown", breaker.CoolDown);
        }
    }

    private static void ValidateConnectionFlowControl(Check check, ConnectionSpec spec)
    {
        check.Duration("spec.delay", spec.Delay);

        if (spec.Ordering is { Header: not null, JsonField: not null })
        {
            check.Error("spec.ordering", "sets both header and jsonField: choose one ordering key, or neither to order the whole connection");
        }

        if (spec.Ordering?.JsonField is { } field && (field.Length == 0 || field.Split('.').Any(part => part.Length == 0)))
        {
            check.Error("spec.ordering.jsonField", $"\"{field}\" is not a dotted path such as \"customer.id\"");
        }

        if (spec.Retry is not { } retry)
        {
            return;
        }

        if (retry.Strategy == "schedule")
        {
            if (retry.Schedule is not { Count: > 0 } schedule)
            {
                check.Error("spec.retry.schedule", "is missing: strategy schedule needs a list of delays, such as [10s, 1m, 10m]");
                return;
            }

            for (var index = 0; index < schedule.Count; index++)
            {
                check.Duration($"spec.retry.schedule[{index}]", schedule[index]);
            }
        }
        else if (retry.Schedule is not null)
        {
            check.Error("spec.retry.schedule", $"is set, but the strategy is \"{retry.Strategy ?? "exponential"}\": a schedule applies only to strategy schedule");
        }
    }
}
