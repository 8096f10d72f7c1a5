namespace FastHook.Api.Manifests;

/// <summary>
/// Thrown when manifests cannot be used; <see cref="Errors"/> lists every problem found, one per entry.
/// </summary>
public sealed class ManifestException : Exception
{
    public ManifestException(IReadOnlyList<ManifestError> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    public ManifestException()
        : this([])
    {
    }

    public ManifestException(string message)
        : base(message)
    {
        Errors = [];
    }

    public ManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<ManifestError> Errors { get; }

    private static string FormatMessage(IReadOnlyList<ManifestError> errors)
    {
        var noun = errors.Count == 1 ? "problem" : "problems";
        return $"The manifests have {errors.Count} {noun}:" + Environment.NewLine
            + string.Join(Environment.NewLine, errors.Select(error => "  " + error));
    }
}
