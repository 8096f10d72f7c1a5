using System.Security.Cryptography;
using System.Text;

namespace FastHook.Gateway.Verification;

/// <summary>
/// A shared key sent verbatim in a header (the apiKey provider, and GitLab's X-Gitlab-Token), compared in constant
/// time against each configured key.
/// </summary>
internal sealed class ApiKeyVerifier(string header, IReadOnlyList<byte[]> keys) : IRequestVerifier
{
    public const string DefaultHeader = "X-Api-Key";

    /// <summary>The header GitLab sends the webhook's secret token in.</summary>
    public const string GitLabHeader = "X-Gitlab-Token";

    // Comparing SHA-256 digests keeps the comparison length-independent, so its time does not reveal the key's length.
    private readonly byte[][] _keyDigests = keys.Select(key => SHA256.HashData(key)).ToArray();

    public VerificationResult Verify(IncomingRequest request)
    {
        if (RequestHeaders.ReadSingle(request, header, VerificationFailures.MissingCredentials, out var value) is { } failure)
        {
            return failure.Reason == VerificationFailures.MissingCredentials ? failure : VerificationResult.Fail(VerificationFailures.InvalidCredentials);
        }

        if (value.Length == 0)
        {
            return VerificationResult.Fail(VerificationFailures.InvalidCredentials);
        }

        var received = SHA256.HashData(Encoding.UTF8.GetBytes(value));
        var matched = false;
        foreach (var digest in _keyDigests)
        {
            matched |= CryptographicOperations.FixedTimeEquals(digest, received);
        }

        return matched ? VerificationResult.Valid : VerificationResult.Fail(VerificationFailures.InvalidCredentials);
    }
}
