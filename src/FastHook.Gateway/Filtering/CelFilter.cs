using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Cel;
using Cel.Internal;

namespace FastHook.Gateway.Filtering;

/// <summary>
/// A CEL expression compiled once, evaluated per request over the variable <c>request</c>. Uses the Cel package
/// (0.3.3), which interprets the parse tree on each call and checks names only when it evaluates them, so
/// <see cref="Compile"/> adds a check of the variable names with their positions.
/// </summary>
public sealed partial class CelFilter
{
    public const string Variable = "request";

    /// <summary>How long one <c>matches()</c> call may run; patterns run without backtracking, so this is a backstop.</summary>
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Names that CEL itself defines: type names used in comparisons such as <c>type(x) == string</c>.</summary>
    private static readonly HashSet<string> BuiltInNames = ["int", "uint", "double", "bool", "string", "bytes", "list", "map", "type", "null_type", "dyn", "google"];

    /// <summary>Macros that bind their first argument as a variable for the second.</summary>
    private static readonly HashSet<string> Macros = ["all", "exists", "exists_one", "map", "filter"];

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);
    private const int MaxCachedPatterns = 256;

    private readonly CelProgramDelegate _program;

    private CelFilter(CelProgramDelegate program)
    {
        _program = program;
    }

    /// <summary>
    /// Compiles <paramref name="expression"/>; adds each problem to <paramref name="errors"/> under <paramref name="field"/>
    /// with its line and column (from 1), and returns null when there is any.
    /// </summary>
    public static CelFilter? Compile(string expression, string field, List<RuleError> errors)
    {
        var environment = new CelEnvironment(null, null);

        // The matches() of Cel 0.3.3 backtracks: '^(a+)+$' took about a second on 24 characters in a test on this
        // project's 2-core machine, and doubles with each one more, so a crafted request could stall the router.
        // This registration replaces it, because the package calls the function registered last.
        environment.RegisterFunction("matches", [typeof(string), typeof(string)], Matches);

        CelParser.StartContext tree;
        CelProgramDelegate program;
        try
        {
            tree = environment.Parse(expression);
            program = environment.Compile(tree);
        }
        catch (CelExpressionParserException exception)
        {
            errors.Add(new RuleError(field, DescribeSyntaxError(exception)));
            return null;
        }
        catch (CelException exception)
        {
            errors.Add(new RuleError(field, $"is not a valid CEL expression: {exception.Message}"));
            return null;
        }

        var count = errors.Count;
        CheckNames(tree, field, errors);
        return errors.Count > count ? null : new CelFilter(program);
    }

    /// <summary>Evaluates the expression: only the boolean true passes, and an evaluation error comes back as a failed verdict.</summary>
    public FilterVerdict Evaluate(IDictionary<string, object?> variables)
    {
        object? result;
        try
        {
            result = _program(variables);
        }
        catch (RegexMatchTimeoutException)
        {
            return FilterVerdict.Failed($"The CEL expression failed: matches() ran longer than {RegexTimeout.TotalMilliseconds:0}ms");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The package does not promise to throw only CelException: its own matches() let a RegexParseException
            // through in a test. Whatever it throws must reject this one request, never stop the router.
            return FilterVerdict.Failed($"The CEL expression failed: {exception.Message}");
        }

        return result switch
        {
            true => FilterVerdict.Pass,
            false => FilterVerdict.Reject,
            _ => FilterVerdict.Failed($"The CEL expression returned {result?.GetType().Name ?? "null"}, not a boolean"),
        };
    }

    /// <summary>
    /// Reports every identifier that is neither <c>request</c>, a CEL type name, nor a variable bound by a macro
    /// such as <c>exists(x, ...)</c>. Macro variables count anywhere in the expression, so one used outside its
    /// macro passes here and fails when it is evaluated.
    /// </summary>
    private static void CheckNames(IParseTree tree, string field, List<RuleError> errors)
    {
        var bound = new HashSet<string>(StringComparer.Ordinal);
        var references = new List<IToken>();
        Collect(tree, bound, references);

        foreach (var token in references)
        {
            if (token.Text != Variable && !BuiltInNames.Contains(token.Text) && !bound.Contains(token.Text))
            {
                errors.Add(new RuleError(field, $"refers to \"{token.Text}\" at line {token.Line}, column {token.Column + 1}, which is not defined: the only variable is {Variable}, as in {Variable}.body.action"));
            }
        }
    }

    private static void Collect(IParseTree node, HashSet<string> bound, List<IToken> references)
    {
        switch (node)
        {
            case CelParser.IdentOrGlobalCallContext identifier when identifier.op is null:
                references.Add(identifier.id);
                break;
            case CelParser.MemberCallContext call when Macros.Contains(call.id.Text) && call.args?._e is { Count: 2 } arguments:
                bound.Add(arguments[0].GetText());
                break;
        }

        for (var i = 0; i < node.ChildCount; i++)
        {
            Collect(node.GetChild(i), bound, references);
        }
    }

    /// <summary>
    /// Turns the package's "Line 1:4 message" (column from 0) into "line 1, column 5: message".
    /// </summary>
    private static string DescribeSyntaxError(CelExpressionParserException exception)
    {
        var match = SyntaxErrorPosition().Match(exception.Message);
        if (match.Success)
        {
            var column = int.Parse(match.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture) + 1;
            return $"is not a valid CEL expression: line {match.Groups["line"].Value}, column {column}: {match.Groups["message"].Value}";
        }

        if (exception.Node is ParserRuleContext { Start: { } start })
        {
            return $"is not a valid CEL expression: line {start.Line}, column {start.Column + 1}: {exception.Message}";
        }

        return $"is not a valid CEL expression: {exception.Message}";
    }

    private static object? Matches(object?[] arguments)
    {
        var text = (string)arguments[0]!;
        var pattern = (string)arguments[1]!;
        if (!Patterns.TryGetValue(pattern, out var regex))
        {
            try
            {
                regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (Exception exception) when (exception is ArgumentException or NotSupportedException)
            {
                // NotSupportedException: a construct RE2 lacks too, such as a backreference or a lookaround.
                throw new CelArgumentRangeException($"matches() got the unusable pattern \"{pattern}\": {exception.Message}", exception);
            }

            // Patterns built from request data could fill the cache, so it stops growing at a fixed size.
            if (Patterns.Count < MaxCachedPatterns)
            {
                Patterns.TryAdd(pattern, regex);
            }
        }

        return regex.IsMatch(text);
    }

    [GeneratedRegex(@"^Line (?<line>\d+):(?<column>\d+) (?<message>.*)$", RegexOptions.Singleline)]
    private static partial Regex SyntaxErrorPosition();
}
