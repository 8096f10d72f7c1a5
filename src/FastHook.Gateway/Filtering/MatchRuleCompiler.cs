using System.Text.Json;
using System.Text.Json.Nodes;

namespace FastHook.Gateway.Filtering;

/// <summary>
/// Compiles the declarative filter language from its JSON form into <see cref="MatchRule"/> trees, naming the
/// field path of every error, such as <c>spec.filter.body.amount.$gte</c>.
/// </summary>
internal sealed class MatchRuleCompiler(bool text, List<RuleError> errors)
{
    public const string Operators = "$eq, $neq, $in, $nin, $gt, $gte, $lt, $lte, $startsWith, $endsWith, $contains, $exist, $and, $or, $not";

    /// <summary>
    /// Compiles a mapping of names to rules, as <c>headers</c> and <c>query</c> take. Header names are compared
    /// case-insensitively, so <paramref name="lowerCaseNames"/> folds them to the lower case the request uses.
    /// </summary>
    public MatchRule CompileFields(JsonObject fields, string field, bool lowerCaseNames)
    {
        if (!lowerCaseNames)
        {
            return Compile(fields, field);
        }

        var folded = new JsonObject();
        foreach (var (name, rule) in fields)
        {
            var key = name.StartsWith('$') ? name : name.ToLowerInvariant();
            if (folded.ContainsKey(key))
            {
                errors.Add(new RuleError($"{field}.{name}", $"names the header \"{key}\" twice: header names are case-insensitive, so merge the two rules"));
                continue;
            }

            folded[key] = rule?.DeepClone();
        }

        return Compile(folded, field);
    }

    public MatchRule Compile(JsonNode? node, string field)
    {
        switch (node)
        {
            case JsonObject mapping:
                return CompileMapping(mapping, field);
            case JsonArray list:
                return new ArrayRule([.. list.Select((item, index) => Compile(item, $"{field}[{index}]"))]);
            default:
                return new EqualRule(ToElement(node), text, negate: false);
        }
    }

    private MatchRule CompileMapping(JsonObject mapping, string field)
    {
        if (mapping.Count == 0)
        {
            errors.Add(new RuleError(field, "is an empty mapping, which tests nothing: give field rules or operators, or {$exist: true} to require the field"));
            return new ExistRule(true);
        }

        var fields = new List<KeyValuePair<string, MatchRule>>();
        var rules = new List<MatchRule>();
        foreach (var (name, operand) in mapping)
        {
            var path = $"{field}.{name}";
            if (name.StartsWith('$'))
            {
                rules.Add(CompileOperator(name, operand, path));
            }
            else
            {
                fields.Add(new(name, Compile(operand, path)));
            }
        }

        if (fields.Count > 0)
        {
            rules.Insert(0, new FieldsRule([.. fields]));
        }

        return rules.Count == 1 ? rules[0] : new AllRule([.. rules]);
    }

    private MatchRule CompileOperator(string name, JsonNode? operand, string field)
    {
        switch (name)
        {
            case "$eq":
                return new EqualRule(ToElement(operand), text, negate: false);
            case "$neq":
                return new EqualRule(ToElement(operand), text, negate: true);
            case "$in":
                return new InRule(ListOperand(operand, field), text, negate: false);
            case "$nin":
                return new InRule(ListOperand(operand, field), text, negate: true);
            case "$gt":
                return new CompareRule(Comparison.Greater, OrderedOperand(operand, field), text);
            case "$gte":
                return new CompareRule(Comparison.GreaterOrEqual, OrderedOperand(operand, field), text);
            case "$lt":
                return new CompareRule(Comparison.Less, OrderedOperand(operand, field), text);
            case "$lte":
                return new CompareRule(Comparison.LessOrEqual, OrderedOperand(operand, field), text);
            case "$startsWith":
                return new AffixRule(StringOperand(operand, field), prefix: true);
            case "$endsWith":
                return new AffixRule(StringOperand(operand, field), prefix: false);
            case "$contains":
                var substring = operand is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
                return new ContainsRule(substring, Compile(operand, field));
            case "$exist":
                if (operand is JsonValue flag && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                {
                    return new ExistRule(flag.GetValue<bool>());
                }

                errors.Add(new RuleError(field, $"needs true or false, not {Describe(operand)}"));
                return new ExistRule(true);
            case "$and":
                return new AllRule(RuleList(operand, field));
            case "$or":
                return new AnyRule(RuleList(operand, field));
            case "$not":
                return new NotRule(Compile(operand, field));
            default:
                var hint = name == "$exists" ? " (the operator is spelled $exist)" : "";
                errors.Add(new RuleError(field, $"\"{name}\" is not an operator{hint}: use one of {Operators}"));
                return new ExistRule(true);
        }
    }

    private JsonElement[] ListOperand(JsonNode? operand, string field)
    {
        if (operand is JsonArray { Count: > 0 } list)
        {
            return [.. list.Select(ToElement)];
        }

        errors.Add(new RuleError(field, $"needs a non-empty list of values, not {Describe(operand)}"));
        return [];
    }

    private JsonElement OrderedOperand(JsonNode? operand, string field)
    {
        if (operand is JsonValue value && value.GetValueKind() is JsonValueKind.Number or JsonValueKind.String)
        {
            return ToElement(operand);
        }

        errors.Add(new RuleError(field, $"needs a number or a string, not {Describe(operand)}"));
        return ToElement(0);
    }

    private string StringOperand(JsonNode? operand, string field)
    {
        if (operand is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }

        errors.Add(new RuleError(field, $"needs a string, not {Describe(operand)}"));
        return "";
    }

    private MatchRule[] RuleList(JsonNode? operand, string field)
    {
        if (operand is JsonArray { Count: > 0 } list)
        {
            return [.. list.Select((item, index) => Compile(item, $"{field}[{index}]"))];
        }

        errors.Add(new RuleError(field, $"needs a non-empty list of rules, not {Describe(operand)}"));
        return [];
    }

    private static JsonElement ToElement(JsonNode? node) => JsonSerializer.SerializeToElement(node);

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray { Count: 0 } => "an empty list",
        JsonArray => "a list",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => $"the string \"{node.GetValue<string>()}\"",
            JsonValueKind.Number => $"the number {node.ToJsonString()}",
            _ => $"the boolean {node.ToJsonString()}",
        },
    };
}

/// <summary>
/// A filter or transform that cannot be compiled: the manifest field (with the position inside it when there is one) and what is wrong.
/// </summary>
public sealed record RuleError(string Field, string Message);
