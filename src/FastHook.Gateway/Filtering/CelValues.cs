using System.Text.Json;

namespace FastHook.Gateway.Filtering;

/// <summary>
/// Converts JSON into the values the Cel package evaluates: maps as <c>Dictionary&lt;string, object?&gt;</c> and lists as
/// <c>object?[]</c>, because its index operator accepts only those two types; integers as long, other numbers as double.
/// </summary>
internal static class CelValues
{
    public static object? From(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = From(property.Value);
                }

                return map;
            case JsonValueKind.Array:
                var list = new object?[element.GetArrayLength()];
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    list[index++] = From(item);
                }

                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var integer))
                {
                    return integer;
                }

                return element.TryGetDouble(out var real) ? real : element.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
