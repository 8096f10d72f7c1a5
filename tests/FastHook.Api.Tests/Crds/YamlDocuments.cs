using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FastHook.Api.Tests.Crds;

/// <summary>
/// Reads multi-document YAML as JSON, the form kubectl sends to the API server.
/// </summary>
internal static class YamlDocuments
{
    /// <summary>Reads every document, typing plain scalars as null, booleans and numbers by YAML's core schema.</summary>
    public static IReadOnlyList<JsonNode?> Read(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(document => Convert(document.RootNode)).ToList();
    }

    /// <summary>Reads the only document of <paramref name="text"/> as a JSON object.</summary>
    public static JsonObject ReadObject(string text) => (JsonObject)Read(text).Single()!;

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(entry =>
            KeyValuePair.Create(((YamlScalarNode)entry.Key).Value ?? "", Convert(entry.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => null,
    };

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(bool.Parse(text));
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && char.IsAsciiDigit(text[^1]))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }
}
