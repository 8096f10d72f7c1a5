namespace FastHook.Gateway.Filtering;

/// <summary>
/// Whether a request passed a connection's filter, and why not when evaluating the filter failed.
/// </summary>
public readonly record struct FilterVerdict(bool Passed, string? Error)
{
    public static FilterVerdict Pass { get; } = new(true, null);

    public static FilterVerdict Reject { get; } = new(false, null);

    /// <summary>A filter that could not be evaluated: the request is not routed, and the error is counted and logged.</summary>
    public static FilterVerdict Failed(string error) => new(false, error);
}
