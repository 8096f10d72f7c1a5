using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace FastHook.Api.Schema;

/// <summary>
/// Writes a JSON object as one block-style YAML document, keeping the order of its keys.
/// </summary>
internal static partial class CrdYamlWriter
{
    /// <summary>
    /// Plain scalars that YAML 1.1 or 1.2 reads as null, a boolean or a number. Kubernetes reads YAML with go-yaml,
    /// which follows YAML 1.1 here, so "yes" and "on" must be quoted as well as "true" and "1.5".
    /// </summary>
    private static readonly HashSet<string> ReservedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
    };

    public static string Write(JsonObject root)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, newLine: "\n"));
        new YamlStream(new YamlDocument(ToYaml(root))).Save(emitter, assignAnchors: false);

        // YamlStream ends every document with an explicit "..." marker, which a single-document file does not need.
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlNode ToYaml(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject jsonObject:
                var mapping = new YamlMappingNode();
                foreach (var (key, value) in jsonObject)
                {
                    mapping.Add(new YamlScalarNode(key), ToYaml(value));
                }

                if (jsonObject.Count == 0)
                {
                    mapping.Style = MappingStyle.Flow;
                }

                return mapping;

            case JsonArray jsonArray:
                var sequence = new YamlSequenceNode();
                foreach (var item in jsonArray)
                {
                    sequence.Add(ToYaml(item));
                }

                if (jsonArray.Count == 0)
                {
                    sequence.Style = SequenceStyle.Flow;
                }

                return sequence;

            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                return new YamlScalarNode(text) { Style = NeedsQuotes(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };

            case JsonValue value:
                return new YamlScalarNode(value.ToJsonString()) { Style = ScalarStyle.Plain };

            default:
                return new YamlScalarNode("null") { Style = ScalarStyle.Plain };
        }
    }

    private static bool NeedsQuotes(string text) => ReservedWords.Contains(text) || NumberLike().IsMatch(text);

    /// <summary>Integers, decimals, exponents, YAML 1.1 digit separators and base prefixes, infinity and NaN.</summary>
    [GeneratedRegex(@"^([-+]?([0-9][0-9_]*)?\.?[0-9_]*([eE][-+]?[0-9]+)?|0[xXoObB][0-9a-fA-F_]+|[-+]?\.(inf|Inf|INF|nan|NaN|NAN))$")]
    private static partial Regex NumberLike();
}
