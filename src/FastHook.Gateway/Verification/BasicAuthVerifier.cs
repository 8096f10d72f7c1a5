using System.Security.Cryptography;
using System.Text;

namespace FastHook.Gateway.Verification;

/// <summary>
/// HTTP Basic authentication with one user name and any of the configured passwords.
/// </summary>
internal sealed class BasicAuthVerifier(string username, IReadOnlyList<byte[]> passwords) : IRequestVerifier
{
    private readonly byte[][] _expected = passwords
        .Select(password => Encoding.UTF8.GetBytes(username + ":").Concat(password).ToArray())
        .ToArray();

    public VerificationResult Verify(IncomingRequest request)
    {
        var values = request.Headers.Authorization;
        if (values.Count == 0)
        {
            return VerificationResult.Fail(VerificationFailures.MissingCredentials);
        }

        var header = values[0] ?? "";
        if (values.Count > 1 || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)
            || !SignatureEncoding.TryDecodeBase64(header.AsSpan(6).Trim(), out var received))
        {
            return VerificationResult.Fail(VerificationFailures.InvalidCredentials);
        }

        // Every candidate is compared so that the time taken does not tell which one came close.
        var matched = false;
        foreach (var expected in _expected)
        {
            matched |= expected.Length == received.Length && CryptographicOperations.FixedTimeEquals(expected, received);
        }

        return matched ? VerificationResult.Valid : VerificationResult.Fail(VerificationFailures.InvalidCredentials);
    }
}
