namespace FastHook.Cli.Commands;

/// <summary>
/// Exit codes of the fasthook command.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and failed: a request was rejected or a server could not be reached.</summary>
    public const int Failed = 1;

    /// <summary>The configuration is invalid: options or manifests.</summary>
    public const int InvalidConfiguration = 2;
}
