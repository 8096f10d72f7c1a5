using System.Security.Cryptography;

namespace FastHook.Gateway.Verification;

/// <summary>
/// GitHub's scheme: X-Hub-Signature-256 is "sha256=" and the hex HMAC-SHA256 of the raw body,
/// keyed with the webhook secret's UTF-8 bytes.
/// </summary>
internal sealed class GitHubVerifier(IReadOnlyList<byte[]> secrets) : IRequestVerifier
{
    public const string SignatureHeader = "X-Hub-Signature-256";

    private const string Prefix = "sha256=";

    public VerificationResult Verify(IncomingRequest request)
    {
        var values = request.Headers[SignatureHeader];
        if (values.Count == 0)
        {
            return VerificationResult.Fail(VerificationFailures.MissingSignature);
        }

        if (values.Count > 1)
        {
            return VerificationResult.Fail(VerificationFailures.MalformedSignature);
        }

        var header = values[0] ?? "";
        if (!header.StartsWith(Prefix, StringComparison.Ordinal)
            || !SignatureEncoding.TryDecodeHex(header.AsSpan(Prefix.Length), out var received))
        {
            return VerificationResult.Fail(VerificationFailures.MalformedSignature);
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var secret in secrets)
        {
            HMACSHA256.HashData(secret, request.Body.Span, expected);
            if (SignatureEncoding.Matches(expected, received))
            {
                return VerificationResult.Valid;
            }
        }

        return VerificationResult.Fail(VerificationFailures.SignatureMismatch);
    }
}
