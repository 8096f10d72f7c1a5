using System.Text;

namespace FastHook.Gateway.Verification;

/// <summary>
/// A shared key sent verbatim in a header, compared in constant time against each configured key.
/// </summary>
internal sealed class ApiKeyVerifier(string header, IReadOnlyList<byte[]> keys) : IRequestVerifier
{
    public const string DefaultHeader = "X-Api-Key";

    public VerificationResult Verify(IncomingRequest request)
    {
        var values = request.Headers[header];
        if (values.Count == 0)
        {
            return VerificationResult.Fail(VerificationFailures.MissingCredentials);
        }

        if (values.Count > 1)
        {
            return VerificationResult.Fail(VerificationFailures.InvalidCredentials);
        }

        var received = Encoding.UTF8.GetBytes(values[0] ?? "");
        var matched = false;
        foreach (var key in keys)
        {
            matched |= SignatureEncoding.Matches(key, received);
        }

        return matched ? VerificationResult.Valid : VerificationResult.Fail(VerificationFailures.InvalidCredentials);
    }
}
