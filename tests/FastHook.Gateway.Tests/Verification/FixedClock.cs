namespace FastHook.Gateway.Tests.Verification;

/// <summary>
/// A clock fixed at a chosen time, so that timestamp tolerance is tested at exact edges.
/// </summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
