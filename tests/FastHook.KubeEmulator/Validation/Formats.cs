using System.Globalization;

namespace FastHook.KubeEmulator.Validation;

/// <summary>
/// The OpenAPI "format" values the emulator checks. Other formats are accepted unchecked, as the API server
/// does for formats it does not know.
/// </summary>
/// <remarks>
/// NOTE: the API server also checks formats such as hostname, ipv4, ipv6, cidr, email, uri and duration,
/// but the emulator accepts any string for those.
/// </remarks>
internal static class Formats
{
    public static bool IsValidNumber(string format, double value) => format switch
    {
        "int32" => double.IsInteger(value) && value is >= int.MinValue and <= int.MaxValue,
        "int64" => double.IsInteger(value) && value is >= long.MinValue and <= long.MaxValue,
        "float" => Math.Abs(value) <= float.MaxValue,
        _ => true,
    };

    public static bool IsValidString(string format, string value) => format switch
    {
        "date-time" => DateTimeOffset.TryParseExact(value, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "date" => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "byte" => IsBase64(value),
        "uuid" => Guid.TryParseExact(value, "D", out _),
        _ => true,
    };

    private static string[] DateTimeFormats { get; } =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }
}
