using System.Globalization;

namespace FastHook.Gateway.Storage;

/// <summary>
/// Helpers for Redis stream entry ids, "{unix ms}-{sequence}".
/// </summary>
public static class StreamIds
{
    public static long Milliseconds(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        var text = dash < 0 ? id : id[..dash];
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    /// <summary>Returns true when <paramref name="id"/> has the form of a stream entry id.</summary>
    public static bool IsValid(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && long.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && long.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }
}
