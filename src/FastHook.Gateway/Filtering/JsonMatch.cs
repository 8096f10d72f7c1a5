using System.Globalization;
using System.Text.Json;

namespace FastHook.Gateway.Filtering;

/// <summary>
/// Equality and ordering of JSON values as filter rules define them. In text mode (headers, query, path), whose
/// values are always strings, a number operand compares with the string read as a number, and a boolean operand
/// with the string "true" or "false".
/// </summary>
internal static class JsonMatch
{
    public static bool Equal(JsonElement value, JsonElement operand, bool text)
    {
        if (text && value.ValueKind == JsonValueKind.String)
        {
            switch (operand.ValueKind)
            {
                case JsonValueKind.Number:
                    return TryParseNumber(value.GetString()!, out var parsed) && JsonNumber.From(operand).CompareTo(parsed) == 0;
                case JsonValueKind.True:
                    return value.ValueEquals("true");
                case JsonValueKind.False:
                    return value.ValueEquals("false");
            }
        }

        if (KindOf(value) != KindOf(operand))
        {
            return false;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                return JsonNumber.From(value).CompareTo(JsonNumber.From(operand)) == 0;
            case JsonValueKind.String:
                return value.ValueEquals(operand.GetString());
            case JsonValueKind.Array:
                return ArraysEqual(value, operand, text);
            case JsonValueKind.Object:
                return ObjectsEqual(value, operand, text);
            default:
                return true;
        }
    }

    /// <summary>
    /// Compares <paramref name="value"/> with <paramref name="operand"/>, a number or a string. Returns null when the
    /// two cannot be ordered: a string against a number (outside text mode), or any other type.
    /// </summary>
    public static int? Compare(JsonElement value, JsonElement operand, bool text)
    {
        if (operand.ValueKind == JsonValueKind.Number)
        {
            if (value.ValueKind == JsonValueKind.Number)
            {
                return JsonNumber.From(value).CompareTo(JsonNumber.From(operand));
            }

            if (text && value.ValueKind == JsonValueKind.String && TryParseNumber(value.GetString()!, out var parsed))
            {
                return parsed.CompareTo(JsonNumber.From(operand));
            }

            return null;
        }

        if (operand.ValueKind == JsonValueKind.String && value.ValueKind == JsonValueKind.String)
        {
            return string.CompareOrdinal(value.GetString(), operand.GetString());
        }

        return null;
    }

    private static bool ArraysEqual(JsonElement value, JsonElement operand, bool text)
    {
        if (value.GetArrayLength() != operand.GetArrayLength())
        {
            return false;
        }

        using var left = value.EnumerateArray();
        using var right = operand.EnumerateArray();
        while (left.MoveNext() && right.MoveNext())
        {
            if (!Equal(left.Current, right.Current, text))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ObjectsEqual(JsonElement value, JsonElement operand, bool text)
    {
        var count = 0;
        foreach (var property in operand.EnumerateObject())
        {
            count++;
            if (!value.TryGetProperty(property.Name, out var other) || !Equal(other, property.Value, text))
            {
                return false;
            }
        }

        return value.EnumerateObject().Count() == count;
    }

    private static JsonValueKind KindOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.False ? JsonValueKind.True : element.ValueKind;

    private static bool TryParseNumber(string text, out JsonNumber number)
    {
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact))
        {
            number = new JsonNumber(exact, (double)exact);
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var approximate) && double.IsFinite(approximate))
        {
            number = new JsonNumber(null, approximate);
            return true;
        }

        number = default;
        return false;
    }

    /// <summary>
    /// A JSON number, exact as a decimal when it fits, so that large integer ids compare without the rounding of a double.
    /// </summary>
    private readonly record struct JsonNumber(decimal? Exact, double Approximate)
    {
        public static JsonNumber From(JsonElement element)
        {
            if (element.TryGetDecimal(out var exact))
            {
                return new(exact, (double)exact);
            }

            // A number too large for a double, such as 1e400, orders as an infinity of its sign.
            if (element.TryGetDouble(out var approximate))
            {
                return new(null, approximate);
            }

            return new(null, element.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity);
        }

        public int CompareTo(JsonNumber other) =>
            Exact is { } left && other.Exact is { } right ? left.CompareTo(right) : Approximate.CompareTo(other.Approximate);
    }
}
