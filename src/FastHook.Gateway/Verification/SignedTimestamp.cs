using System.Globalization;

namespace FastHook.Gateway.Verification;

/// <summary>
/// Parsing of signed timestamps and the tolerance check against the gateway's clock.
/// </summary>
internal static class SignedTimestamp
{
    /// <summary>Parses Unix seconds written as plain ASCII digits, without a sign, spaces or a fraction.</summary>
    public static bool TryParseUnixSeconds(string text, out DateTimeOffset time)
    {
        time = default;
        if (text.Length is 0 or > 12
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    /// <summary>
    /// Returns true when <paramref name="signedAt"/> is at most <paramref name="tolerance"/> from now, in the past
    /// (a replay) or in the future (a clock ahead of ours).
    /// </summary>
    public static bool IsWithinTolerance(TimeProvider clock, DateTimeOffset signedAt, TimeSpan tolerance) =>
        (clock.GetUtcNow() - signedAt).Duration() <= tolerance;
}
