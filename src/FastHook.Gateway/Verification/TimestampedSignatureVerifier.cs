using System.Security.Cryptography;
using System.Text;

namespace FastHook.Gateway.Verification;

/// <summary>
/// Verifies schemes that put a timestamp and one or more hex HMAC-SHA256 signatures into one header as
/// name=value pairs, signing "{timestamp}{separator}{raw body}" (Stripe and Paddle; see
/// <see cref="TimestampedSignatureScheme"/>). Any one signature may match, for rotation; other pairs are ignored.
/// </summary>
internal sealed class TimestampedSignatureVerifier(TimestampedSignatureScheme scheme, IReadOnlyList<byte[]> secrets, TimeSpan tolerance, TimeProvider clock) : IRequestVerifier
{
    public VerificationResult Verify(IncomingRequest request)
    {
        if (RequestHeaders.ReadSingle(request, scheme.Header, VerificationFailures.MissingSignature, out var header) is { } failure)
        {
            return failure;
        }

        string? timestampText = null;
        var signatures = new List<byte[]>();
        foreach (var item in header.Split(scheme.PairSeparator))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return VerificationResult.Fail(VerificationFailures.MalformedSignature);
            }

            var name = item[..equals];
            var value = item.AsSpan(equals + 1);
            if (name == scheme.TimestampName)
            {
                if (timestampText is not null)
                {
                    return VerificationResult.Fail(VerificationFailures.MalformedTimestamp);
                }

                timestampText = value.ToString();
            }
            else if (name == scheme.SignatureName)
            {
                if (!SignatureEncoding.TryDecodeHex(value, out var signature))
                {
                    return VerificationResult.Fail(VerificationFailures.MalformedSignature);
                }

                signatures.Add(signature);
            }
        }

        if (timestampText is null)
        {
            return VerificationResult.Fail(VerificationFailures.MissingTimestamp);
        }

        if (!SignedTimestamp.TryParseUnixSeconds(timestampText, out var signedAt))
        {
            return VerificationResult.Fail(VerificationFailures.MalformedTimestamp);
        }

        if (signatures.Count == 0)
        {
            return VerificationResult.Fail(VerificationFailures.MissingSignature);
        }

        var signedPrefix = Encoding.ASCII.GetBytes(timestampText + scheme.ContentSeparator);
        if (!SignatureEncoding.MatchesAnySecret(secrets, signedPrefix, request.Body.Span, signatures))
        {
            return VerificationResult.Fail(VerificationFailures.SignatureMismatch);
        }

        // The signature is checked first, so this reason always means a genuine but stale (or replayed) request.
        return SignedTimestamp.IsWithinTolerance(clock, signedAt, tolerance)
            ? VerificationResult.Valid
            : VerificationResult.Fail(VerificationFailures.TimestampOutOfTolerance);
    }
}
