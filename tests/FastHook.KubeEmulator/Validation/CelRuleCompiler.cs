using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;

namespace FastHook.KubeEmulator.Validation;

/// <summary>
/// Compiles x-kubernetes-validations rules with the Cel package (cel-net 0.3.3).
/// </summary>
/// <remarks>
/// NOTE: cel-net implements the CEL standard library only. Rules that call the Kubernetes CEL extensions
/// (for example isURL, quantity, format.*, lowerAscii, ip or cidr) fail in the emulator: a syntax error
/// when the CRD is created, an unbound function only when the rule first runs. Either way the request is
/// rejected with 422 unless the emulator options skip such rules; skipped rules are listed, never evaluated.
/// </remarks>
internal sealed partial class CelRuleCompiler(bool skipUnsupported)
{
    private readonly CelEnvironment _environment = new(null, null);
    private readonly Lock _lock = new();
    private readonly List<string> _skipped = [];

    public bool SkipsUnsupported => skipUnsupported;

    /// <summary>The rules that the emulator could not evaluate and skipped, as "path: rule (error)".</summary>
    public IReadOnlyList<string> Skipped
    {
        get
        {
            lock (_lock)
            {
                return [.. _skipped];
            }
        }
    }

    /// <summary>Records a rule that failed at run time because cel-net lacks a function it calls.</summary>
    public void RecordSkipped(string path, string rule, string error)
    {
        lock (_lock)
        {
            var entry = $"{path}: {rule} ({error})";
            if (!_skipped.Contains(entry))
            {
                _skipped.Add(entry);
            }
        }
    }

    /// <summary>Whether an evaluation error means cel-net lacks a function, not that the data broke the rule.</summary>
    public static bool IsUnsupportedFunction(Exception error) =>
        error is CelUnboundFunctionException or CelExpressionParserException;

    public IReadOnlyList<ValidationRule> CompileRules(JsonNode? node, string path)
    {
        if (node is not JsonArray array)
        {
            return [];
        }

        var rules = new List<ValidationRule>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject entry || Text(entry, "rule") is not { } rule)
            {
                throw new SchemaException($"{path}.x-kubernetes-validations[{i}].rule", "Required value: every validation needs a rule");
            }

            var messageExpression = Text(entry, "messageExpression");
            var program = Compile(rule, $"{path}.x-kubernetes-validations[{i}].rule");
            var messageProgram = messageExpression is null
                ? null
                : Compile(messageExpression, $"{path}.x-kubernetes-validations[{i}].messageExpression");

            rules.Add(new ValidationRule(
                rule,
                Text(entry, "message"),
                messageExpression,
                Text(entry, "reason") ?? "FieldValueInvalid",
                Text(entry, "fieldPath"),
                OldSelfReference().IsMatch(rule),
                program,
                messageProgram));
        }

        return rules;
    }

    private Func<IDictionary<string, object?>, object?>? Compile(string expression, string path)
    {
        try
        {
            CelProgramDelegate program;
            lock (_lock)
            {
                program = _environment.Compile(expression);
            }

            return variables => program(variables);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (!skipUnsupported)
            {
                throw new SchemaException(path,
                    $"compilation failed for \"{expression}\": {e.Message}. The emulator evaluates standard CEL only; " +
                    "set KubeApiEmulatorOptions.SkipUnsupportedValidationRules to load the CRD without this rule");
            }

            RecordSkipped(path, expression, e.Message);
            return null;
        }
    }

    private static string? Text(JsonObject node, string key) =>
        node[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    [GeneratedRegex(@"\boldSelf\b")]
    private static partial Regex OldSelfReference();
}
