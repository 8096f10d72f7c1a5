using System.Security.Cryptography;

namespace FastHook.Gateway.Verification;

/// <summary>
/// Decoding of received signatures and constant-time comparison against computed digests.
/// </summary>
internal static class SignatureEncoding
{
    /// <summary>
    /// Decodes hex text (either case); false when it is empty or not hex.
    /// </summary>
    public static bool TryDecodeHex(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.IsEmpty || text.Length % 2 != 0)
        {
            return false;
        }

        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Decodes base64 text; false when it is empty or not base64.
    /// </summary>
    public static bool TryDecodeBase64(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.IsEmpty)
        {
            return false;
        }

        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64Chars(text, buffer, out var written) || written == 0)
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }

    /// <summary>
    /// Compares in time that does not depend on the contents; different lengths never match,
    /// so a truncated or prefix-only signature is rejected.
    /// </summary>
    public static bool Matches(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> received) =>
        expected.Length == received.Length && CryptographicOperations.FixedTimeEquals(expected, received);
}
