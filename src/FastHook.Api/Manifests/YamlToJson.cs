using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FastHook.Api.Manifests;

/// <summary>
/// Converts YAML documents to JSON nodes with YAML 1.2 core-schema typing of plain scalars,
/// so that manifests deserialize the same way the Kubernetes API server reads them.
/// </summary>
internal static class YamlToJson
{
    public static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var jsonObject = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : key.ToString();
                    jsonObject[name] = Convert(value);
                }

                return jsonObject;

            case YamlSequenceNode sequence:
                var jsonArray = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    jsonArray.Add(Convert(item));
                }

                return jsonArray;

            case YamlScalarNode scalar:
                return ConvertScalar(scalar);

            default:
                return null;
        }
    }

    private static JsonValue? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            && (char.IsAsciiDigit(text[^1]) || text[^1] == '.'))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }
}
