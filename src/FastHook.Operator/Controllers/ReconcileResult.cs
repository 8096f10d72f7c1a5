namespace FastHook.Operator.Controllers;

/// <summary>
/// The outcome of one reconcile: done, or done and to be reconciled again after a delay.
/// </summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done => new(null);

    public static ReconcileResult After(TimeSpan delay) => new(delay);

    /// <summary>Keeps the shorter of two requeue delays, so a combined result never waits longer than a part asked.</summary>
    public ReconcileResult Merge(ReconcileResult other) =>
        (RequeueAfter, other.RequeueAfter) switch
        {
            (null, var right) => new(right),
            (var left, null) => new(left),
            (var left, var right) => new(left < right ? left : right),
        };
}
