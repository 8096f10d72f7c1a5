using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FastHook.KubeEmulator.Http;

namespace FastHook.KubeEmulator.Validation;

/// <summary>
/// Checks a value against a structural schema and collects one cause per failed keyword, with the cause
/// types (FieldValueRequired, FieldValueTypeInvalid, ...) the API server reports.
/// </summary>
internal sealed class SchemaValidator(CelRuleCompiler compiler, List<StatusCause> causes)
{
    private static HashSet<string> TypeMetaAndMetadata { get; } = ["apiVersion", "kind", "metadata"];

    public void ValidateRoot(JsonObject obj, JsonObject? old, StructuralSchema schema)
    {
        var before = causes.Count;
        ValidateObjectFields(obj, old, schema, "", skipTypeMeta: true);
        if (causes.Count == before)
        {
            EvaluateRules(obj, old, schema, "");
        }
    }

    private void Validate(JsonNode? node, JsonNode? old, StructuralSchema schema, string path)
    {
        var before = causes.Count;

        if (node is null)
        {
            if (!schema.Nullable)
            {
                Add("FieldValueTypeInvalid", path, $"Invalid value: \"null\": must be of type {schema.Type ?? "non-null"}");
            }

            return;
        }

        if (!HasSchemaType(node, schema))
        {
            Add("FieldValueTypeInvalid", path, $"Invalid value: \"{JsonType(node)}\": must be of type {ExpectedType(schema)}");
            return;
        }

        CheckEnum(node, schema, path);
        switch (node)
        {
            case JsonObject obj:
                ValidateObjectFields(obj, old as JsonObject, schema, path, schema.EmbeddedResource);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                ValidateString(value.GetValue<string>(), schema, path);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                ValidateNumber(JsonValues.ToDouble(value), schema, path);
                break;
        }

        ValidateCombinators(node, schema, path);

        if (causes.Count == before)
        {
            EvaluateRules(node, old, schema, path);
        }
    }

    private void ValidateObjectFields(JsonObject obj, JsonObject? old, StructuralSchema schema, string path, bool skipTypeMeta)
    {
        foreach (var required in schema.Required)
        {
            if (!obj.ContainsKey(required))
            {
                Add("FieldValueRequired", Child(path, required), "Required value");
            }
        }

        if (schema.MinProperties is { } minProperties && obj.Count < minProperties)
        {
            Add("FieldValueInvalid", path, $"Invalid value: {obj.Count}: must have at least {minProperties} properties");
        }

        if (schema.MaxProperties is { } maxProperties && obj.Count > maxProperties)
        {
            Add("FieldValueTooMany", path, $"Too many: {obj.Count}: must have at most {maxProperties} properties");
        }

        foreach (var (key, value) in obj)
        {
            if (skipTypeMeta && TypeMetaAndMetadata.Contains(key))
            {
                continue;
            }

            if (schema.Properties.TryGetValue(key, out var property))
            {
                Validate(value, old?[key], property, Child(path, key));
            }
            else if (schema.AdditionalProperties is not null)
            {
                Validate(value, old?[key], schema.AdditionalProperties, $"{path}[{key}]");
            }
        }
    }

    private void ValidateArray(JsonArray array, StructuralSchema schema, string path)
    {
        if (schema.MinItems is { } minItems && array.Count < minItems)
        {
            Add("FieldValueInvalid", path, $"Invalid value: {array.Count}: must have at least {minItems} items");
        }

        if (schema.MaxItems is { } maxItems && array.Count > maxItems)
        {
            Add("FieldValueTooMany", path, $"Too many: {array.Count}: must have at most {maxItems} items");
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (schema.Items is not null)
            {
                // NOTE: list items are not matched with the old list, so transition rules (oldSelf) inside
                // list items are not evaluated by the emulator, even for listType=map.
                Validate(array[i], null, schema.Items, $"{path}[{i}]");
            }
        }

        CheckListUniqueness(array, schema, path);
    }

    private void CheckListUniqueness(JsonArray array, StructuralSchema schema, string path)
    {
        if (schema.ListType == "set")
        {
            for (var i = 0; i < array.Count; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (JsonNode.DeepEquals(array[i], array[j]))
                    {
                        Add("FieldValueDuplicate", $"{path}[{i}]", $"Duplicate value: {array[i]?.ToJsonString() ?? "null"}");
                        break;
                    }
                }
            }
        }

        if (schema.ListType == "map" && schema.ListMapKeys.Count > 0)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is not JsonObject item)
                {
                    continue;
                }

                var key = string.Join("\u0000", schema.ListMapKeys.Select(k => item[k]?.ToJsonString() ?? "null"));
                if (!seen.Add(key))
                {
                    var keyValues = string.Join(", ", schema.ListMapKeys.Select(k => $"\"{k}\":{item[k]?.ToJsonString() ?? "null"}"));
                    Add("FieldValueDuplicate", $"{path}[{i}]", $"Duplicate value: map[{keyValues}]");
                }
            }
        }
    }

    private void ValidateString(string text, StructuralSchema schema, string path)
    {
        var length = text.EnumerateRunes().Count();
        if (schema.MinLength is { } minLength && length < minLength)
        {
            Add("FieldValueInvalid", path, $"Invalid value: \"{text}\": must be at least {minLength} characters long");
        }

        if (schema.MaxLength is { } maxLength && length > maxLength)
        {
            Add("FieldValueTooLong", path, $"Too long: must have at most {maxLength} characters");
        }

        if (schema.Pattern is { } pattern && !MatchesPattern(pattern, text))
        {
            Add("FieldValueInvalid", path, $"Invalid value: \"{text}\": must match the pattern '{schema.PatternText}'");
        }

        if (schema.Format is { } format && !Formats.IsValidString(format, text))
        {
            Add("FieldValueInvalid", path, $"Invalid value: \"{text}\": must be in the format {format}");
        }
    }

    private void ValidateNumber(double number, StructuralSchema schema, string path)
    {
        var formatted = number.ToString(CultureInfo.InvariantCulture);
        if (schema.Minimum is { } minimum && (number < minimum || schema.ExclusiveMinimum && number == minimum))
        {
            var relation = schema.ExclusiveMinimum ? "greater than" : "greater than or equal to";
            Add("FieldValueInvalid", path, $"Invalid value: {formatted}: must be {relation} {minimum.ToString(CultureInfo.InvariantCulture)}");
        }

        if (schema.Maximum is { } maximum && (number > maximum || schema.ExclusiveMaximum && number == maximum))
        {
            var relation = schema.ExclusiveMaximum ? "less than" : "less than or equal to";
            Add("FieldValueInvalid", path, $"Invalid value: {formatted}: must be {relation} {maximum.ToString(CultureInfo.InvariantCulture)}");
        }

        if (schema.MultipleOf is { } multipleOf and > 0 && Math.Abs(Math.IEEERemainder(number, multipleOf)) > 1e-9)
        {
            Add("FieldValueInvalid", path, $"Invalid value: {formatted}: must be a multiple of {multipleOf.ToString(CultureInfo.InvariantCulture)}");
        }

        if (schema.Format is { } format && !Formats.IsValidNumber(format, number))
        {
            Add("FieldValueInvalid", path, $"Invalid value: {formatted}: must be in the format {format}");
        }
    }

    private void CheckEnum(JsonNode node, StructuralSchema schema, string path)
    {
        if (schema.Enum is null || schema.Enum.Any(allowed => JsonNode.DeepEquals(allowed, node)))
        {
            return;
        }

        var supported = string.Join(", ", schema.Enum.Select(v => v?.ToJsonString() ?? "null"));
        Add("FieldValueNotSupported", path, $"Unsupported value: {node.ToJsonString()}: supported values: {supported}");
    }

    /// <summary>Checks allOf, anyOf, oneOf and not, which in a structural schema only add value checks.</summary>
    private void ValidateCombinators(JsonNode node, StructuralSchema schema, string path)
    {
        foreach (var part in schema.AllOf)
        {
            Validate(node, null, part, path);
        }

        if (schema.AnyOf.Count > 0 && !schema.AnyOf.Any(part => Passes(node, part, path)))
        {
            Add("FieldValueInvalid", path, "Invalid value: must validate at least one schema (anyOf)");
        }

        if (schema.OneOf.Count > 0)
        {
            var passing = schema.OneOf.Count(part => Passes(node, part, path));
            if (passing != 1)
            {
                Add("FieldValueInvalid", path, $"Invalid value: must validate one and only one schema (oneOf), but {passing} matched");
            }
        }

        if (schema.Not is not null && Passes(node, schema.Not, path))
        {
            Add("FieldValueInvalid", path, "Invalid value: must not validate the schema (not)");
        }
    }

    private bool Passes(JsonNode node, StructuralSchema schema, string path)
    {
        var trial = new List<StatusCause>();
        new SchemaValidator(compiler, trial).Validate(node, null, schema, path);
        return trial.Count == 0;
    }

    private void EvaluateRules(JsonNode node, JsonNode? old, StructuralSchema schema, string path)
    {
        foreach (var rule in schema.Rules)
        {
            if (rule.UsesOldSelf && old is null)
            {
                continue;
            }

            var failure = CelRuleEvaluator.Evaluate(rule, node, old, schema, compiler, path);
            if (failure is not null)
            {
                var field = rule.FieldPath is { Length: > 0 } fieldPath ? path + fieldPath : path;
                causes.Add(new StatusCause(rule.Reason, failure, field.TrimStart('.')));
            }
        }
    }

    private void Add(string reason, string path, string message) => causes.Add(new StatusCause(reason, message, path));

    private static bool MatchesPattern(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static bool HasSchemaType(JsonNode node, StructuralSchema schema)
    {
        if (schema.IntOrString)
        {
            return IsInteger(node) || node is JsonValue v && v.GetValueKind() == JsonValueKind.String;
        }

        return schema.Type switch
        {
            null => true,
            "object" => node is JsonObject,
            "array" => node is JsonArray,
            "string" => node is JsonValue s && s.GetValueKind() == JsonValueKind.String,
            "boolean" => node is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
            "number" => node is JsonValue n && n.GetValueKind() == JsonValueKind.Number,
            "integer" => IsInteger(node),
            _ => true,
        };
    }

    /// <summary>Whether the node is a number without a fraction. As in the API server's decoder, 2.0 counts as an integer.</summary>
    private static bool IsInteger(JsonNode node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number &&
        double.IsInteger(JsonValues.ToDouble(value));

    private static string ExpectedType(StructuralSchema schema) => schema.IntOrString ? "integer or string" : schema.Type ?? "any";

    private static string JsonType(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => double.IsInteger(JsonValues.ToDouble(v)) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => "null",
    };
}
