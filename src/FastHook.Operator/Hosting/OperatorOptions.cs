using FastHook.Operator.Controllers;
using FastHook.Operator.GatewayObjects;

namespace FastHook.Operator.Hosting;

/// <summary>
/// Settings of one operator process, from its command line.
/// </summary>
public sealed class OperatorOptions
{
    /// <summary>The namespace where the gateway's objects are written and the leader Lease lives.</summary>
    public string GatewayNamespace { get; set; } = "fasthook-system";

    public GatewaySettings Gateway { get; set; } = new();

    /// <summary>Namespaces whose resources are reconciled; all namespaces when empty.</summary>
    public IReadOnlyList<string> Namespaces { get; set; } = [];

    /// <summary>Listen URLs for /healthz, /readyz and /metrics, separated by ';'; none when empty.</summary>
    public string MetricsUrls { get; set; } = "http://0.0.0.0:9091";

    /// <summary>The gateway's Redis, for delivery counters, replays and cleanup; those are off when null.</summary>
    public string? RedisUrl { get; set; }

    public bool LeaderElection { get; set; }

    public string LeaseName { get; set; } = "fasthook-operator";

    /// <summary>This process's name in the Lease; the host name and process id when unset.</summary>
    public string? Identity { get; set; }

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Reconciles that run at once.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>How often a Connection's delivery counters are read from Redis.</summary>
    public TimeSpan CounterInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a Connection with a running replay is looked at again.</summary>
    public TimeSpan ReplayPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the gateway's objects are compared with the desired ones without any change seen.</summary>
    public TimeSpan GatewayResyncInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first backoff of a failed reconcile, doubled per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    public InformerOptions Informers { get; set; } = new();
}
