using Microsoft.Extensions.Primitives;

namespace FastHook.Gateway.Verification;

/// <summary>
/// Reads the headers a signature scheme depends on. Each must appear exactly once: a repeated header is rejected
/// rather than guessed at, because a proxy or an attacker may have added the second copy.
/// </summary>
internal static class RequestHeaders
{
    /// <summary>
    /// Returns null and the header's only value, or the failure to report: <paramref name="missingReason"/> when
    /// the header is absent, <see cref="VerificationFailures.MalformedSignature"/> when it is repeated.
    /// </summary>
    public static VerificationResult? ReadSingle(IncomingRequest request, string name, string missingReason, out string value)
    {
        value = "";
        StringValues values = request.Headers[name];
        if (values.Count == 0)
        {
            return VerificationResult.Fail(missingReason);
        }

        if (values.Count > 1)
        {
            return VerificationResult.Fail(VerificationFailures.MalformedSignature);
        }

        value = values[0] ?? "";
        return null;
    }
}
