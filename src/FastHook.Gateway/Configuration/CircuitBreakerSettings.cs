namespace FastHook.Gateway.Configuration;

/// <summary>
/// Opens after <paramref name="FailureThreshold"/> failed attempts in a row; probes after <paramref name="CoolDown"/>.
/// </summary>
public sealed record CircuitBreakerSettings(int FailureThreshold, TimeSpan CoolDown);
