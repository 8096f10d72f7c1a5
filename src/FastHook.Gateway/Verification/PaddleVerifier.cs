using System.Security.Cryptography;
using System.Text;

namespace FastHook.Gateway.Verification;

/// <summary>
/// Paddle Billing's scheme: Paddle-Signature is "ts={unix seconds};h1={hex}" and h1 is the hex HMAC-SHA256 of
/// "{ts}:{raw body}", keyed with the UTF-8 bytes of the notification destination's secret key. Paddle sends one h1
/// per active secret while a secret is rotated; any one may match.
/// </summary>
internal sealed class PaddleVerifier(IReadOnlyList<byte[]> secrets, TimeSpan tolerance, TimeProvider clock) : IRequestVerifier
{
    public const string SignatureHeader = "Paddle-Signature";

    public VerificationResult Verify(IncomingRequest request)
    {
        if (RequestHeaders.ReadSingle(request, SignatureHeader, VerificationFailures.MissingSignature, out var header) is { } failure)
        {
            return failure;
        }

        string? timestampText = null;
        var signatures = new List<byte[]>();
        foreach (var item in header.Split(';'))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return VerificationResult.Fail(VerificationFailures.MalformedSignature);
            }

            var name = item[..equals];
            var value = item.AsSpan(equals + 1);
            if (name == "ts")
            {
                if (timestampText is not null)
                {
                    return VerificationResult.Fail(VerificationFailures.MalformedTimestamp);
                }

                timestampText = value.ToString();
            }
            else if (name == "h1")
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

        var signedPrefix = Encoding.ASCII.GetBytes(timestampText + ":");
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var matched = false;
        foreach (var secret in secrets)
        {
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
            hmac.AppendData(signedPrefix);
            hmac.AppendData(request.Body.Span);
            hmac.GetHashAndReset(expected);
            foreach (var signature in signatures)
            {
                matched |= SignatureEncoding.Matches(expected, signature);
            }
        }

        if (!matched)
        {
            return VerificationResult.Fail(VerificationFailures.SignatureMismatch);
        }

        return SignedTimestamp.IsWithinTolerance(clock, signedAt, tolerance)
            ? VerificationResult.Valid
            : VerificationResult.Fail(VerificationFailures.TimestampOutOfTolerance);
    }
}
