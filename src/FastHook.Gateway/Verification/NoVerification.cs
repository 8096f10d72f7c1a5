namespace FastHook.Gateway.Verification;

/// <summary>
/// Accepts every request, for providers that do not sign (provider: none).
/// </summary>
internal sealed class NoVerification : IRequestVerifier
{
    public VerificationResult Verify(IncomingRequest request) => VerificationResult.Valid;
}
