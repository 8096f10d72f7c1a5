using System.Text.Json.Nodes;
using FastHook.Api.V1Alpha1;

namespace FastHook.Gateway.Filtering;

/// <summary>
/// A connection's compiled <c>spec.filter</c>: rules on headers, query, path and body, and a CEL expression.
/// A request passes when every part that is set matches.
/// </summary>
public sealed class RequestFilter
{
    private MatchRule? _headers;
    private MatchRule? _query;
    private MatchRule? _path;
    private MatchRule? _body;
    private CelFilter? _cel;

    private RequestFilter()
    {
    }

    /// <summary>
    /// Compiles <paramref name="spec"/>; adds each problem to <paramref name="errors"/> and returns null when there is any.
    /// </summary>
    public static RequestFilter? Compile(FilterSpec spec, List<RuleError> errors)
    {
        var count = errors.Count;
        var filter = new RequestFilter();
        var text = new MatchRuleCompiler(text: true, errors);

        if (CaseSensitive(spec.Headers) is JsonObject headers)
        {
            filter._headers = text.CompileFields(headers, "spec.filter.headers", lowerCaseNames: true);
        }

        if (CaseSensitive(spec.Query) is JsonObject query)
        {
            filter._query = text.CompileFields(query, "spec.filter.query", lowerCaseNames: false);
        }

        if (CaseSensitive(spec.Path) is { } path)
        {
            filter._path = text.Compile(path, "spec.filter.path");
        }

        if (CaseSensitive(spec.Body) is { } body)
        {
            filter._body = new MatchRuleCompiler(text: false, errors).Compile(body, "spec.filter.body");
        }

        if (!string.IsNullOrWhiteSpace(spec.Cel))
        {
            filter._cel = CelFilter.Compile(spec.Cel, "spec.filter.cel", errors);
        }

        return errors.Count > count ? null : filter;
    }

    /// <summary>
    /// Copies <paramref name="node"/> with case-sensitive property names. Manifests are read with case-insensitive
    /// names, and such an object throws on enumeration when two names differ only in case, as "Action" and "action"
    /// may in a body.
    /// </summary>
    private static JsonNode? CaseSensitive(JsonNode? node) =>
        node is null ? null : JsonNode.Parse(node.ToJsonString(), new JsonNodeOptions { PropertyNameCaseInsensitive = false });

    public FilterVerdict Evaluate(FilterInput input)
    {
        if (_headers is not null && !_headers.Matches(input.Headers))
        {
            return FilterVerdict.Reject;
        }

        if (_query is not null && !_query.Matches(input.Query))
        {
            return FilterVerdict.Reject;
        }

        if (_path is not null && !_path.Matches(input.Path))
        {
            return FilterVerdict.Reject;
        }

        // A body that is not JSON fails every body rule, $not and $exist included, and is not an error.
        if (_body is not null && (input.Body is not { } body || !_body.Matches(body)))
        {
            return FilterVerdict.Reject;
        }

        return _cel?.Evaluate(input.CelVariables) ?? FilterVerdict.Pass;
    }
}
