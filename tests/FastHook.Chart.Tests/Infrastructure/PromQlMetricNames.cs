using System.Text.RegularExpressions;

namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// Finds the metric names a PromQL expression selects. It is a lexical scan, not a parser: it drops strings,
/// label matchers, range and subquery brackets, grouping clauses and offsets, and then keeps the identifiers
/// that are neither functions, aggregations nor keywords.
/// </summary>
internal static partial class PromQlMetricNames
{
    private static readonly HashSet<string> Keywords =
    [
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
        "inf", "nan", "atan2",
    ];

    public static SortedSet<string> Extract(string expression)
    {
        var text = StringLiteral().Replace(expression, " ");
        text = LabelMatchers().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = GroupingClause().Replace(text, " ");
        text = Offset().Replace(text, " ");

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifier().Matches(text))
        {
            var name = match.Groups["name"].Value;
            var isCall = match.Groups["call"].Success;
            if (!isCall && !Keywords.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")]
    private static partial Regex GroupingClause();

    [GeneratedRegex(@"\boffset\s+-?[0-9a-z]+")]
    private static partial Regex Offset();

    [GeneratedRegex(@"(?<![\w$.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();
}
