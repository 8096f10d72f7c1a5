using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FastHook.Gateway.Verification;

/// <summary>
/// Twitch EventSub's scheme: Twitch-Eventsub-Message-Signature is "sha256=" and the hex HMAC-SHA256 of the
/// message id, the timestamp text (RFC 3339) and the raw body, joined with nothing between them, keyed with the
/// UTF-8 bytes of the subscription's secret. A verified webhook_callback_verification message gets its challenge
/// back as a text/plain response instead of being captured. Notifications and revocations are captured.
/// </summary>
internal sealed class TwitchVerifier(IReadOnlyList<byte[]> secrets, TimeSpan tolerance, TimeProvider clock) : IRequestVerifier
{
    public const string IdHeader = "Twitch-Eventsub-Message-Id";
    public const string TimestampHeader = "Twitch-Eventsub-Message-Timestamp";
    public const string SignatureHeader = "Twitch-Eventsub-Message-Signature";
    public const string TypeHeader = "Twitch-Eventsub-Message-Type";

    /// <summary>The message type of the URL check Twitch sends when a subscription is created.</summary>
    public const string CallbackVerification = "webhook_callback_verification";

    private const string Prefix = "sha256=";

    public VerificationResult Verify(IncomingRequest request)
    {
        if (RequestHeaders.ReadSingle(request, SignatureHeader, VerificationFailures.MissingSignature, out var header) is { } failure)
        {
            return failure;
        }

        if (RequestHeaders.ReadSingle(request, IdHeader, VerificationFailures.MissingSignature, out var id) is { } idFailure)
        {
            return idFailure;
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

        if (!DateTimeOffset.TryParse(timestampText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            return VerificationResult.Fail(VerificationFailures.MalformedTimestamp);
        }

        var signedPrefix = Encoding.UTF8.GetBytes(id + timestampText);
        if (!SignatureEncoding.MatchesAnySecret(secrets, signedPrefix, request.Body.Span, [received]))
        {
            return VerificationResult.Fail(VerificationFailures.SignatureMismatch);
        }

        if (!SignedTimestamp.IsWithinTolerance(clock, signedAt, tolerance))
        {
            return VerificationResult.Fail(VerificationFailures.TimestampOutOfTolerance);
        }

        var type = request.Headers[TypeHeader];
        if (type.Count == 1 && type[0] == CallbackVerification
            && HandshakeChallenge.TryRead(request.Body.Span, typeField: null, typeValue: null, out var challenge))
        {
            return VerificationResult.Answer(new HandshakeResponse(200, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(challenge)));
        }

        return VerificationResult.Valid;
    }
}
