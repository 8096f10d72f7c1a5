using System.Security.Cryptography;
using FastHook.Gateway.Signing;

namespace FastHook.Gateway.Verification;

/// <summary>
/// Verifies Standard Webhooks requests: webhook-id, webhook-timestamp and a webhook-signature header that may
/// carry several space-separated "v1,{base64}" signatures, any one of which may match. Svix sends the same scheme
/// under svix-id, svix-timestamp and svix-signature. Those are read when webhook-signature is absent, and all three
/// headers always come from one family.
/// </summary>
internal sealed class StandardWebhooksVerifier(IReadOnlyList<byte[]> keys, TimeSpan tolerance, TimeProvider clock) : IRequestVerifier
{
    public const string SvixIdHeader = "svix-id";
    public const string SvixTimestampHeader = "svix-timestamp";
    public const string SvixSignatureHeader = "svix-signature";

    public VerificationResult Verify(IncomingRequest request)
    {
        var (idHeader, timestampHeader, signatureHeader) = request.Headers.ContainsKey(StandardWebhooksSignature.SignatureHeader)
            || !request.Headers.ContainsKey(SvixSignatureHeader)
            ? (StandardWebhooksSignature.IdHeader, StandardWebhooksSignature.TimestampHeader, StandardWebhooksSignature.SignatureHeader)
            : (SvixIdHeader, SvixTimestampHeader, SvixSignatureHeader);

        if (RequestHeaders.ReadSingle(request, signatureHeader, VerificationFailures.MissingSignature, out var signatures) is { } failure)
        {
            return failure;
        }

        if (RequestHeaders.ReadSingle(request, idHeader, VerificationFailures.MissingSignature, out var id) is { } idFailure)
        {
            return idFailure;
        }

        if (RequestHeaders.ReadSingle(request, timestampHeader, VerificationFailures.MissingTimestamp, out var timestampText) is { } timestampFailure)
        {
            return timestampFailure;
        }

        if (!SignedTimestamp.TryParseUnixSeconds(timestampText, out var signedAt))
        {
            return VerificationResult.Fail(VerificationFailures.MalformedTimestamp);
        }

        var timestamp = signedAt.ToUnixTimeSeconds();
        var candidates = signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var matched = false;
        foreach (var key in keys)
        {
            StandardWebhooksSignature.ComputeDigest(key, id, timestamp, request.Body.Span, expected);
            foreach (var candidate in candidates)
            {
                var comma = candidate.IndexOf(',', StringComparison.Ordinal);
                if (comma < 0 || candidate.AsSpan(0, comma) is not StandardWebhooksSignature.Version)
                {
                    continue;
                }

                // "v1," with nothing after it decodes to no bytes and never matches.
                matched |= SignatureEncoding.TryDecodeBase64(candidate.AsSpan(comma + 1), out var received)
                    && SignatureEncoding.Matches(expected, received);
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
