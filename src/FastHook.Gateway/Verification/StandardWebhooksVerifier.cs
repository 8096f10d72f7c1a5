using System.Globalization;
using System.Security.Cryptography;
using FastHook.Gateway.Signing;

namespace FastHook.Gateway.Verification;

/// <summary>
/// Verifies Standard Webhooks requests: webhook-id, webhook-timestamp and a webhook-signature header that may
/// carry several space-separated "v1,{base64}" signatures, any one of which may match.
/// </summary>
internal sealed class StandardWebhooksVerifier(IReadOnlyList<byte[]> keys, TimeSpan tolerance, TimeProvider clock) : IRequestVerifier
{
    public VerificationResult Verify(IncomingRequest request)
    {
        var id = request.Headers[StandardWebhooksSignature.IdHeader];
        var timestampText = request.Headers[StandardWebhooksSignature.TimestampHeader];
        var signatures = request.Headers[StandardWebhooksSignature.SignatureHeader];

        if (signatures.Count == 0 || id.Count == 0)
        {
            return VerificationResult.Fail(VerificationFailures.MissingSignature);
        }

        if (timestampText.Count == 0)
        {
            return VerificationResult.Fail(VerificationFailures.MissingTimestamp);
        }

        if (id.Count > 1 || timestampText.Count > 1 || signatures.Count > 1
            || !long.TryParse(timestampText[0], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return VerificationResult.Fail(VerificationFailures.MalformedSignature);
        }

        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - timestamp) > (long)tolerance.TotalSeconds)
        {
            return VerificationResult.Fail(VerificationFailures.TimestampOutOfTolerance);
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var candidates = (signatures[0] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var key in keys)
        {
            StandardWebhooksSignature.ComputeDigest(key, id[0] ?? "", timestamp, request.Body.Span, expected);
            foreach (var candidate in candidates)
            {
                var comma = candidate.IndexOf(',', StringComparison.Ordinal);
                if (comma < 0 || candidate.AsSpan(0, comma) is not StandardWebhooksSignature.Version)
                {
                    continue;
                }

                if (SignatureEncoding.TryDecodeBase64(candidate.AsSpan(comma + 1), out var received)
                    && SignatureEncoding.Matches(expected, received))
                {
                    return VerificationResult.Valid;
                }
            }
        }

        return VerificationResult.Fail(VerificationFailures.SignatureMismatch);
    }
}
