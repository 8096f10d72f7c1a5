using System.Text.Json;

namespace FastHook.Gateway.Filtering;

/// <summary>
/// One compiled rule of the declarative filter language. A rule tests one value: the value of a field, or nothing
/// (null) when the field is missing. docs/rules.md states the semantics each rule implements.
/// </summary>
internal abstract class MatchRule
{
    public abstract bool Matches(JsonElement? value);

    /// <summary>Returns whether <paramref name="test"/> holds for the value, or for any element when the value is an array.</summary>
    protected static bool ValueOrAnyElement(JsonElement value, Func<JsonElement, bool> test)
    {
        if (test(value))
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var element in value.EnumerateArray())
        {
            if (test(element))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A literal value or <c>$eq</c>, and <c>$neq</c> when negated.</summary>
internal sealed class EqualRule(JsonElement operand, bool text, bool negate) : MatchRule
{
    public override bool Matches(JsonElement? value)
    {
        var equal = value is { } present && ValueOrAnyElement(present, element => JsonMatch.Equal(element, operand, text));
        return equal != negate;
    }
}

/// <summary><c>$in</c>, and <c>$nin</c> when negated.</summary>
internal sealed class InRule(JsonElement[] operands, bool text, bool negate) : MatchRule
{
    public override bool Matches(JsonElement? value)
    {
        var found = value is { } present
            && ValueOrAnyElement(present, element => operands.Any(operand => JsonMatch.Equal(element, operand, text)));
        return found != negate;
    }
}

internal enum Comparison
{
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

/// <summary><c>$gt</c>, <c>$gte</c>, <c>$lt</c> and <c>$lte</c>.</summary>
internal sealed class CompareRule(Comparison comparison, JsonElement operand, bool text) : MatchRule
{
    public override bool Matches(JsonElement? value) =>
        value is { } present && ValueOrAnyElement(present, Test);

    private bool Test(JsonElement element)
    {
        if (JsonMatch.Compare(element, operand, text) is not { } order)
        {
            return false;
        }

        return comparison switch
        {
            Comparison.Greater => order > 0,
            Comparison.GreaterOrEqual => order >= 0,
            Comparison.Less => order < 0,
            _ => order <= 0,
        };
    }
}

/// <summary><c>$startsWith</c>, and <c>$endsWith</c> when <paramref name="prefix"/> is false. Compares ordinally.</summary>
internal sealed class AffixRule(string operand, bool prefix) : MatchRule
{
    public override bool Matches(JsonElement? value) =>
        value is { } present && ValueOrAnyElement(present, Test);

    private bool Test(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var text = element.GetString()!;
        return prefix ? text.StartsWith(operand, StringComparison.Ordinal) : text.EndsWith(operand, StringComparison.Ordinal);
    }
}

/// <summary>
/// <c>$contains</c>: a substring of a string value, or an element of an array value that matches
/// <paramref name="elementRule"/>, the operand compiled as a rule.
/// </summary>
internal sealed class ContainsRule(string? substring, MatchRule elementRule) : MatchRule
{
    public override bool Matches(JsonElement? value)
    {
        if (value is not { } present)
        {
            return false;
        }

        if (present.ValueKind == JsonValueKind.String)
        {
            return substring is not null && present.GetString()!.Contains(substring, StringComparison.Ordinal);
        }

        if (present.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in present.EnumerateArray())
            {
                if (elementRule.Matches(element))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary><c>$exist</c>: whether the field is present; a JSON null is present.</summary>
internal sealed class ExistRule(bool expected) : MatchRule
{
    public override bool Matches(JsonElement? value) => value.HasValue == expected;
}

/// <summary><c>$and</c>, and the several rules of one mapping: every rule matches.</summary>
internal sealed class AllRule(MatchRule[] rules) : MatchRule
{
    public override bool Matches(JsonElement? value)
    {
        foreach (var rule in rules)
        {
            if (!rule.Matches(value))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary><c>$or</c>: at least one rule matches.</summary>
internal sealed class AnyRule(MatchRule[] rules) : MatchRule
{
    public override bool Matches(JsonElement? value)
    {
        foreach (var rule in rules)
        {
            if (rule.Matches(value))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary><c>$not</c>: the rule does not match.</summary>
internal sealed class NotRule(MatchRule rule) : MatchRule
{
    public override bool Matches(JsonElement? value) => !rule.Matches(value);
}

/// <summary>
/// Field rules of a mapping. An object value matches when every field rule matches its field; an array value
/// matches when one element does. Every field of any other value, or of a missing one, is missing.
/// </summary>
internal sealed class FieldsRule(KeyValuePair<string, MatchRule>[] fields) : MatchRule
{
    public override bool Matches(JsonElement? value)
    {
        if (value is { ValueKind: JsonValueKind.Array } array)
        {
            foreach (var element in array.EnumerateArray())
            {
                if (MatchesFields(element))
                {
                    return true;
                }
            }

            return false;
        }

        return MatchesFields(value);
    }

    private bool MatchesFields(JsonElement? value)
    {
        var isObject = value is { ValueKind: JsonValueKind.Object };
        foreach (var (name, rule) in fields)
        {
            JsonElement? field = isObject && value!.Value.TryGetProperty(name, out var found) ? found : null;
            if (!rule.Matches(field))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A list: the value is an array, and every rule of the list matches at least one of its elements.</summary>
internal sealed class ArrayRule(MatchRule[] elementRules) : MatchRule
{
    public override bool Matches(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Array } array)
        {
            return false;
        }

        foreach (var rule in elementRules)
        {
            var found = false;
            foreach (var element in array.EnumerateArray())
            {
                if (rule.Matches(element))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }
}
