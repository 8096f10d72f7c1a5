using System.Security.Cryptography;
using System.Text;

namespace FastHook.Gateway.Verification;

/// <summary>
/// The generic HMAC scheme, also behind the shopify preset: a header with an optional prefix and a hex or base64
/// digest of the raw body, or of "{timestamp}.{body}" when a timestamp header is configured.
/// </summary>
internal sealed class HmacVerifier(
    IReadOnlyList<byte[]> secrets,
    string header,
    HashAlgorithmName algorithm,
    bool base64,
    string prefix,
    string? timestampHeader,
    TimeSpan tolerance,
    TimeProvider clock) : IRequestVerifier
{
    public VerificationResult Verify(IncomingRequest request)
    {
        if (RequestHeaders.ReadSingle(request, header, VerificationFailures.MissingSignature, out var text) is { } failure)
        {
            return failure;
        }

        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return VerificationResult.Fail(VerificationFailures.MalformedSignature);
        }

        var encoded = text.AsSpan(prefix.Length);
        var decoded = base64 ? SignatureEncoding.TryDecodeBase64(encoded, out var received) : SignatureEncoding.TryDecodeHex(encoded, out received);
        if (!decoded)
        {
            return VerificationResult.Fail(VerificationFailures.MalformedSignature);
        }

        byte[]? signedPrefix = null;
        DateTimeOffset signedAt = default;
        if (timestampHeader is not null)
        {
            if (RequestHeaders.ReadSingle(request, timestampHeader, VerificationFailures.MissingTimestamp, out var timestampText) is { } timestampFailure)
            {
                return timestampFailure;
            }

            if (!SignedTimestamp.TryParseUnixSeconds(timestampText, out signedAt))
            {
                return VerificationResult.Fail(VerificationFailures.MalformedTimestamp);
            }

            signedPrefix = Encoding.ASCII.GetBytes(timestampText + ".");
        }

        var matched = false;
        foreach (var secret in secrets)
        {
            using var hmac = IncrementalHash.CreateHMAC(algorithm, secret);
            if (signedPrefix is not null)
            {
                hmac.AppendData(signedPrefix);
            }

            hmac.AppendData(request.Body.Span);
            matched |= SignatureEncoding.Matches(hmac.GetHashAndReset(), received);
        }

        if (!matched)
        {
            return VerificationResult.Fail(VerificationFailures.SignatureMismatch);
        }

        return timestampHeader is null || SignedTimestamp.IsWithinTolerance(clock, signedAt, tolerance)
            ? VerificationResult.Valid
            : VerificationResult.Fail(VerificationFailures.TimestampOutOfTolerance);
    }
}
