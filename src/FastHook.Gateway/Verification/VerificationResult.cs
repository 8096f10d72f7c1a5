namespace FastHook.Gateway.Verification;

/// <summary>
/// Whether a request passed verification and, when it did not, a reason name for metrics and logs.
/// A verified request may carry a <see cref="Handshake"/>, the response to a provider's URL check, which is sent
/// instead of capturing the request.
/// </summary>
public readonly record struct VerificationResult(bool IsValid, string Reason, HandshakeResponse? Handshake = null)
{
    public static VerificationResult Valid { get; } = new(true, "valid");

    public static VerificationResult Fail(string reason) => new(false, reason);

    /// <summary>A verified request that is the provider's URL check, to be responded to with <paramref name="handshake"/>.</summary>
    public static VerificationResult Answer(HandshakeResponse handshake) => new(true, "valid", handshake);
}

/// <summary>
/// The response to a provider's URL check (Slack's url_verification, Twitch's webhook_callback_verification).
/// </summary>
public sealed record HandshakeResponse(int StatusCode, string ContentType, byte[] Body);

/// <summary>
/// The reason names rejections are counted by; they never carry request data.
/// </summary>
public static class VerificationFailures
{
    public const string MissingSignature = "missingSignature";
    public const string MalformedSignature = "malformedSignature";
    public const string SignatureMismatch = "signatureMismatch";
    public const string MissingTimestamp = "missingTimestamp";
    public const string MalformedTimestamp = "malformedTimestamp";
    public const string TimestampOutOfTolerance = "timestampOutOfTolerance";
    public const string MissingCredentials = "missingCredentials";
    public const string InvalidCredentials = "invalidCredentials";

    /// <summary>The body does not match what the signature covers, such as Twilio's bodySHA256 query parameter.</summary>
    public const string BodyMismatch = "bodyMismatch";
}
