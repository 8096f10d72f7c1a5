namespace FastHook.Gateway.Verification;

/// <summary>
/// Decides whether a request really came from the source's provider.
/// Implementations compare in constant time and never log or return secret or signature values.
/// </summary>
public interface IRequestVerifier
{
    VerificationResult Verify(IncomingRequest request);
}
