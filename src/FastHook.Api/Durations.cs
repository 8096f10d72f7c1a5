using System.Globalization;

namespace FastHook.Api;

/// <summary>
/// Parses durations written the way Kubernetes and Go write them: "300ms", "30s", "5m", "1h30m", "168h".
/// </summary>
public static class Durations
{
    /// <summary>
    /// Parses <paramref name="text"/>, or returns false with a message that says what is wrong with it.
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = "";

        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a duration is required, such as \"30s\", \"5m\" or \"1h30m\"";
            return false;
        }

        var totalMilliseconds = 0m;
        var position = 0;
        while (position < text.Length)
        {
            var numberStart = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.'))
            {
                position++;
            }

            var unitStart = position;
            while (position < text.Length && char.IsAsciiLetter(text[position]))
            {
                position++;
            }

            var number = text[numberStart..unitStart];
            var unit = text[unitStart..position];
            if (number.Length == 0 || unit.Length == 0
                || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                error = $"\"{text}\" is not a duration: use a number followed by a unit (ms, s, m, h), such as \"30s\" or \"1h30m\"";
                return false;
            }

            decimal? unitMilliseconds = unit switch
            {
                "ms" => 1m,
                "s" => 1_000m,
                "m" => 60_000m,
                "h" => 3_600_000m,
                _ => null,
            };
            if (unitMilliseconds is null)
            {
                error = $"\"{text}\" has the unknown unit \"{unit}\": use ms, s, m or h";
                return false;
            }

            // One hundred years is far past any sensible setting and far below TimeSpan's range.
            totalMilliseconds += value * unitMilliseconds.Value;
            if (totalMilliseconds > 100m * 365 * 24 * 3_600_000m)
            {
                error = $"\"{text}\" is too long: durations are limited to 100 years";
                return false;
            }
        }

        duration = TimeSpan.FromMilliseconds((double)totalMilliseconds);
        return true;
    }

    /// <summary>
    /// Parses <paramref name="text"/>, or returns <paramref name="fallback"/> when it is null or empty.
    /// Throws <see cref="FormatException"/> when it is set but invalid; validated manifests never are.
    /// </summary>
    public static TimeSpan ParseOrDefault(string? text, TimeSpan fallback)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (!TryParse(text, out var duration, out var error))
        {
            throw new FormatException(error);
        }

        return duration;
    }

    /// <summary>
    /// Formats a duration the way <see cref="TryParse"/> reads it.
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        if (duration.TotalMilliseconds % 1000 != 0)
        {
            return ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var seconds = (long)duration.TotalSeconds;
        if (seconds % 3600 == 0)
        {
            return (seconds / 3600).ToString(CultureInfo.InvariantCulture) + "h";
        }

        return seconds % 60 == 0
            ? (seconds / 60).ToString(CultureInfo.InvariantCulture) + "m"
            : seconds.ToString(CultureInfo.InvariantCulture) + "s";
    }
}
