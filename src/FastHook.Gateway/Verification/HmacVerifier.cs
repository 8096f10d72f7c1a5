using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FastHook.Gateway.Verification;

/// <summary>
/// The generic HMAC scheme: a header with an optional prefix and a hex or base64 digest of the raw body,
/// or of "{timestamp}.{body}" when a timestamp header is configured.
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
        var values = request.Headers[header];
        if (values.Count == 0)
        {
            return VerificationResult.Fail(VerificationFailures.MissingSignature);
        }

        var text = values[0] ?? "";
        if (values.Count > 1 || !text.StartsWith(prefix, StringComparison.Ordinal))
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
        if (timestampHeader is not null)
        {
            var timestampValues = request.Headers[timestampHeader];
            if (timestampValues.Count != 1 || !long.TryParse(timestampValues[0], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
            {
                return VerificationResult.Fail(VerificationFailures.MissingTimestamp);
            }

            if (Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - timestamp) > (long)tolerance.TotalSeconds)
            {
                return VerificationResult.Fail(VerificationFailures.TimestampOutOfTolerance);
            }

            signedPrefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}."));
        }

        foreach (var secret in secrets)
        {
            using var hmac = IncrementalHash.CreateHMAC(algorithm, secret);
            if (signedPrefix is not null)
            {
                hmac.AppendData(signedPrefix);
            }

            hmac.AppendData(request.Body.Span);
            if (SignatureEncoding.Matches(hmac.GetHashAndReset(), received))
            {
                return VerificationResult.Valid;
            }
        }

        return VerificationResult.Fail(VerificationFailures.SignatureMismatch);
    }
}
