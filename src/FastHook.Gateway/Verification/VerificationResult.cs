namespace FastHook.Gateway.Verification;

/// <summary>
/// Whether a request passed verification and, when it did not, a reason name for metrics and logs.
/// </summary>
public readonly record struct VerificationResult(bool IsValid, string Reason)
{
    public static VerificationResult Valid { get; } = new(true, "valid");

    public static VerificationResult Fail(string reason) => new(false, reason);
}

/// <summary>
/// The reason names rejections are counted by; they never carry request data.
/// </summary>
public static class VerificationFailures
{
    public const string MissingSignature = "missingSignature";
    public const string MalformedSignature = "malformedSignature";
    public const string SignatureMismatch = "signatureMismatch";
    public const string MissingTimestamp = "missingTimestamp";
    public const string TimestampOutOfTolerance = "timestampOutOfTolerance";
    public const string MissingCredentials = "missingCredentials";
    public const string InvalidCredentials = "invalidCredentials";
}
