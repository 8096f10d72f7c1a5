using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FastHook.KubeEmulator.Validation;

/// <summary>
/// One node of a CRD's OpenAPI v3 schema, with the keywords the emulator prunes, defaults and validates by.
/// </summary>
internal sealed class StructuralSchema
{
    private static TimeSpan PatternTimeout { get; } = TimeSpan.FromSeconds(1);

    public string? Type { get; private init; }

    /// <summary>Whether the schema had a "properties" keyword. An object schema without one and without additionalProperties keeps no fields.</summary>
    public bool HasProperties { get; private init; }

    public Dictionary<string, StructuralSchema> Properties { get; } = new(StringComparer.Ordinal);

    public StructuralSchema? AdditionalProperties { get; private init; }

    public StructuralSchema? Items { get; private init; }

    public IReadOnlyList<string> Required { get; private init; } = [];

    public IReadOnlyList<JsonNode?>? Enum { get; private init; }

    public string? PatternText { get; private init; }

    public Regex? Pattern { get; private init; }

    public double? Minimum { get; private init; }

    public double? Maximum { get; private init; }

    public bool ExclusiveMinimum { get; private init; }

    public bool ExclusiveMaximum { get; private init; }

    public double? MultipleOf { get; private init; }

    public long? MinLength { get; private init; }

    public long? MaxLength { get; private init; }

    public long? MinItems { get; private init; }

    public long? MaxItems { get; private init; }

    public long? MinProperties { get; private init; }

    public long? MaxProperties { get; private init; }

    public string? Format { get; private init; }

    public JsonNode? Default { get; private init; }

    public bool Nullable { get; private init; }

    public bool PreserveUnknownFields { get; private init; }

    public bool IntOrString { get; private init; }

    public bool EmbeddedResource { get; private init; }

    /// <summary>x-kubernetes-list-type: atomic, set or map.</summary>
    public string? ListType { get; private init; }

    public IReadOnlyList<string> ListMapKeys { get; private init; } = [];

    public IReadOnlyList<StructuralSchema> AllOf { get; private init; } = [];

    public IReadOnlyList<StructuralSchema> AnyOf { get; private init; } = [];

    public IReadOnlyList<StructuralSchema> OneOf { get; private init; } = [];

    public StructuralSchema? Not { get; private init; }

    public IReadOnlyList<ValidationRule> Rules { get; private init; } = [];

    /// <summary>Reads a schema node. Throws <see cref="SchemaException"/> naming the path of an unusable keyword.</summary>
    public static StructuralSchema Parse(JsonObject node, string path, CelRuleCompiler compiler)
    {
        var additional = node["additionalProperties"];
        var schema = new StructuralSchema
        {
            Type = Text(node, "type"),
            HasProperties = node["properties"] is JsonObject,
            AdditionalProperties = additional is JsonObject additionalSchema
                ? Parse(additionalSchema, path + ".additionalProperties", compiler)
                : null,
            Items = node["items"] is JsonObject items ? Parse(items, path + ".items", compiler) : null,
            Required = Strings(node["required"]),
            Enum = node["enum"] is JsonArray values ? [.. values.Select(v => v?.DeepClone())] : null,
            PatternText = Text(node, "pattern"),
            Pattern = Text(node, "pattern") is { } pattern ? CompilePattern(pattern, path) : null,
            Minimum = Number(node["minimum"]),
            Maximum = Number(node["maximum"]),
            ExclusiveMinimum = Flag(node, "exclusiveMinimum"),
            ExclusiveMaximum = Flag(node, "exclusiveMaximum"),
            MultipleOf = Number(node["multipleOf"]),
            MinLength = Integer(node["minLength"]),
            MaxLength = Integer(node["maxLength"]),
            MinItems = Integer(node["minItems"]),
            MaxItems = Integer(node["maxItems"]),
            MinProperties = Integer(node["minProperties"]),
            MaxProperties = Integer(node["maxProperties"]),
            Format = Text(node, "format"),
            Default = node["default"]?.DeepClone(),
            Nullable = Flag(node, "nullable"),
            PreserveUnknownFields = Flag(node, "x-kubernetes-preserve-unknown-fields")
                || additional is JsonValue allowed && allowed.GetValueKind() == JsonValueKind.True,
            IntOrString = Flag(node, "x-kubernetes-int-or-string"),
            EmbeddedResource = Flag(node, "x-kubernetes-embedded-resource"),
            ListType = Text(node, "x-kubernetes-list-type"),
            ListMapKeys = Strings(node["x-kubernetes-list-map-keys"]),
            AllOf = Schemas(node["allOf"], path + ".allOf", compiler),
            AnyOf = Schemas(node["anyOf"], path + ".anyOf", compiler),
            OneOf = Schemas(node["oneOf"], path + ".oneOf", compiler),
            Not = node["not"] is JsonObject not ? Parse(not, path + ".not", compiler) : null,
            Rules = compiler.CompileRules(node["x-kubernetes-validations"], path),
        };

        if (node["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                if (child is JsonObject childSchema)
                {
                    schema.Properties[name] = Parse(childSchema, $"{path}.properties[{name}]", compiler);
                }
            }
        }

        return schema;
    }

    /// <summary>Whether fields not named in Properties survive pruning.</summary>
    public bool KeepsUnknownFields => PreserveUnknownFields || AdditionalProperties is not null;

    private static Regex CompilePattern(string pattern, string path)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (ArgumentException e)
        {
            throw new SchemaException(path + ".pattern", $"pattern \"{pattern}\" is not a valid regular expression: {e.Message}");
        }
    }

    private static IReadOnlyList<StructuralSchema> Schemas(JsonNode? node, string path, CelRuleCompiler compiler) =>
        node is JsonArray array
            ? [.. array.OfType<JsonObject>().Select((s, i) => Parse(s, $"{path}[{i}]", compiler))]
            : [];

    private static string? Text(JsonObject node, string key) =>
        node[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static bool Flag(JsonObject node, string key) =>
        node[key] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    private static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? JsonValues.ToDouble(value) : null;

    private static long? Integer(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? (long)JsonValues.ToDouble(value) : null;

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array
            ? [.. array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())]
            : [];
}

/// <summary>
/// A CRD schema the emulator cannot use, with the path of the offending keyword inside the CRD.
/// </summary>
internal sealed class SchemaException(string path, string message) : Exception(message)
{
    public string Path { get; } = path;
}
