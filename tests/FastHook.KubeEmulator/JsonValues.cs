using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FastHook.KubeEmulator;

/// <summary>
/// Reads JSON scalars whether they were parsed from a request or created in code.
/// </summary>
internal static class JsonValues
{
    public static bool IsNumber(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number;

    /// <summary>Reads a number through its JSON text, because a value created from a long cannot be read as a double directly.</summary>
    public static double ToDouble(JsonValue value) =>
        double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static bool TryGetLong(JsonNode? node, out long number)
    {
        number = 0;
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number &&
            long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number);
    }
}
