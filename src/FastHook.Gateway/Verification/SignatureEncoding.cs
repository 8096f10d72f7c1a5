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

    /// <summary>
    /// Returns true when any of the <paramref name="received"/> signatures equals the HMAC-SHA256 of
    /// <paramref name="signedPrefix"/> followed by <paramref name="body"/> under any of <paramref name="secrets"/>.
    /// Every pair is compared, so the time taken does not tell which one matched.
    /// </summary>
    public static bool MatchesAnySecret(IReadOnlyList<byte[]> secrets, ReadOnlySpan<byte> signedPrefix, ReadOnlySpan<byte> body, IReadOnlyList<byte[]> received)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var matched = false;
        foreach (var secret in secrets)
        {
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
            hmac.AppendData(signedPrefix);
            hmac.AppendData(body);
            hmac.GetHashAndReset(expected);
            foreach (var signature in received)
            {
                matched |= Matches(expected, signature);
            }
        }

        return matched;
    }
}
