using System.Security.Cryptography;
using System.Text;

namespace FastHook.Gateway.Verification;

/// <summary>
/// Slack's scheme: X-Slack-Signature is "v0=" and the hex HMAC-SHA256 of "v0:{X-Slack-Request-Timestamp}:{raw body}",
/// keyed with the UTF-8 bytes of the app's signing secret. A verified url_verification event gets its challenge back
/// as the response instead of being captured.
/// </summary>
internal sealed class SlackVerifier(IReadOnlyList<byte[]> secrets, TimeSpan tolerance, TimeProvider clock) : IRequestVerifier
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";

    private const string Prefix = "v0=";

    public VerificationResult Verify(IncomingRequest request)
    {
        if (RequestHeaders.ReadSingle(request, SignatureHeader, VerificationFailures.MissingSignature, out var header) is { } failure)
        {
            return failure;
        }

        if (RequestHeaders.ReadSingle(request, TimestampHeader, VerificationFailures.MissingTimestamp, out var timestampText) is { } timestampFailure)
        {
            return timestampFailure;
        }

        if (!header.StartsWith(Prefix, StringComparison.Ordinal)
            || !SignatureEncoding.TryDecodeHex(header.AsSpan(Prefix.Length), out var received))
        {
            return VerificationResult.Fail(VerificationFailures.MalformedSignature);
        }

        if (!SignedTimestamp.TryParseUnixSeconds(timestampText, out var signedAt))
        {
            return VerificationResult.Fail(VerificationFailures.MalformedTimestamp);
        }

        var signedPrefix = Encoding.ASCII.GetBytes($"v0:{timestampText}:");
        if (!SignatureEncoding.MatchesAnySecret(secrets, signedPrefix, request.Body.Span, [received]))
        {
            return VerificationResult.Fail(VerificationFailures.SignatureMismatch);
        }

        if (!SignedTimestamp.IsWithinTolerance(clock, signedAt, tolerance))
        {
            return VerificationResult.Fail(VerificationFailures.TimestampOutOfTolerance);
        }

        // Slack accepts the challenge back as plain text.
        return HandshakeChallenge.TryRead(request.Body.Span, "type", "url_verification", out var challenge)
            ? VerificationResult.Answer(new HandshakeResponse(200, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(challenge)))
            : VerificationResult.Valid;
    }
}
