using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;

namespace FastHook.Api.Tests.Crds;

/// <summary>
/// Evaluates the CEL rules of <c>x-kubernetes-validations</c> with the Cel package, binding <c>self</c> and
/// <c>oldSelf</c> to JSON values the way the API server binds them.
/// </summary>
/// <remarks>
/// The Cel package implements the CEL standard library, which is all the generated rules use. Kubernetes adds
/// libraries of its own (lists, regex, URLs, quantities) that the package lacks, and it types <c>date-time</c>
/// strings as timestamps where this evaluator passes strings, which <c>timestamp()</c> accepts either way.
/// Kubernetes' cost limits are not checked here.
/// </remarks>
internal sealed class CelRules
{
    private readonly CelEnvironment _environment = new(null, null);
    private readonly Dictionary<string, CelProgramDelegate> _programs = new(StringComparer.Ordinal);

    /// <summary>Compiles <paramref name="rule"/>, or throws the parser's exception.</summary>
    public CelProgramDelegate Compile(string rule)
    {
        if (!_programs.TryGetValue(rule, out var program))
        {
            program = _environment.Compile(rule);
            _programs[rule] = program;
        }

        return program;
    }

    /// <summary>
    /// Returns null when <paramref name="rule"/> holds for <paramref name="self"/>, or why it does not: false, an
    /// evaluation error, or a result that is not a boolean. The API server rejects the object in all three cases.
    /// </summary>
    public string? Check(string rule, JsonNode self, JsonNode? oldSelf)
    {
        var variables = new Dictionary<string, object?> { ["self"] = ToCel(self) };
        if (oldSelf is not null)
        {
            variables["oldSelf"] = ToCel(oldSelf);
        }

        object? result;
        try
        {
            result = Compile(rule).Invoke(variables);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return $"evaluating the rule failed: {exception.Message}";
        }

        return result switch
        {
            true => null,
            false => "",
            _ => $"the rule returned {result ?? "null"} instead of a boolean",
        };
    }

    /// <summary>Converts JSON to the values CEL reads: maps, lists, strings, int64, double and bool.</summary>
    public static object? ToCel(JsonNode? node) => node switch
    {
        JsonObject map => map.ToDictionary(entry => entry.Key, entry => ToCel(entry.Value)),
        JsonArray list => list.Select(ToCel).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetValue<long>(out var integer) => integer,
            JsonValueKind.Number => value.GetValue<double>(),
            var kind => throw new ArgumentException($"JSON value of kind {kind} has no CEL form.", nameof(node)),
        },
        _ => null,
    };
}
