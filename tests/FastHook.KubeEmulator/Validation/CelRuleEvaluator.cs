using System.Text.Json;
using System.Text.Json.Nodes;

namespace FastHook.KubeEmulator.Validation;

/// <summary>
/// Runs one compiled x-kubernetes-validations rule against a value, with "self" and, for transition rules,
/// "oldSelf" bound to plain .NET values: maps as dictionaries, lists as lists, integers as long.
/// </summary>
internal static class CelRuleEvaluator
{
    /// <summary>Returns null when the rule holds, otherwise the message to report.</summary>
    public static string? Evaluate(ValidationRule rule, JsonNode node, JsonNode? old, StructuralSchema schema, CelRuleCompiler compiler, string path)
    {
        if (rule.Program is null)
        {
            return null;
        }

        var variables = new Dictionary<string, object?>(StringComparer.Ordinal) { ["self"] = ToCel(node, schema) };
        if (rule.UsesOldSelf)
        {
            variables["oldSelf"] = ToCel(old, schema);
        }

        object? result;
        try
        {
            result = rule.Program(variables);
        }
        catch (Exception e) when (CelRuleCompiler.IsUnsupportedFunction(e))
        {
            if (compiler.SkipsUnsupported)
            {
                compiler.RecordSkipped(path, rule.Rule, e.Message);
                return null;
            }

            return $"Invalid value: the emulator cannot evaluate rule \"{rule.Rule}\" ({e.Message}); " +
                "cel-net lacks this function, so set KubeApiEmulatorOptions.SkipUnsupportedValidationRules to skip the rule";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"Invalid value: \"{JsonTypeName(node)}\": {e.Message} evaluating rule: {rule.Rule}";
        }

        if (result is true)
        {
            return null;
        }

        return FailureMessage(rule, variables);
    }

    private static string FailureMessage(ValidationRule rule, Dictionary<string, object?> variables)
    {
        if (rule.MessageProgram is not null)
        {
            try
            {
                if (rule.MessageProgram(variables) is string { Length: > 0 } message)
                {
                    return "Invalid value: " + message;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The API server falls back to the static message when messageExpression fails.
            }
        }

        return "Invalid value: " + (rule.Message ?? $"failed rule: {rule.Rule}");
    }

    /// <summary>Converts JSON to the values cel-net reads. A whole number becomes a long unless the schema declares type number.</summary>
    public static object? ToCel(JsonNode? node, StructuralSchema? schema) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(
            p => p.Key,
            p => ToCel(p.Value, schema?.Properties.GetValueOrDefault(p.Key) ?? schema?.AdditionalProperties),
            StringComparer.Ordinal),
        JsonArray array => array.Select(item => ToCel(item, schema?.Items)).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when schema?.Type != "number" && JsonValues.TryGetLong(value, out var integer) => integer,
            JsonValueKind.Number => JsonValues.ToDouble(value),
            _ => null,
        },
        _ => null,
    };

    private static string JsonTypeName(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        _ => node.GetValueKind().ToString().ToLowerInvariant(),
    };
}
