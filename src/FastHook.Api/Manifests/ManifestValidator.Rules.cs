using System.Text.Json;
using FastHook.Api.V1Alpha1;

namespace FastHook.Api.Manifests;

/// <summary>
/// The checks of <c>spec.filter</c> and <c>spec.transform</c> that need no script engine. The gateway compiles
/// rules, CEL and JavaScript when it builds its routes, and reports what fails there with the position.
/// </summary>
public static partial class ManifestValidator
{
    private static void ValidateFilter(Check check, FilterSpec? filter)
    {
        if (filter is null)
        {
            return;
        }

        if (filter.Headers is null && filter.Body is null && filter.Query is null && filter.Path is null && filter.Cel is null)
        {
            check.Error("spec.filter", "is empty: set headers, body, query, path or cel, or remove the filter to route every request");
            return;
        }

        if (filter.Headers is { } headers && headers.GetValueKind() != JsonValueKind.Object)
        {
            check.Error("spec.filter.headers", $"is a {KindName(headers.GetValueKind())}, not a mapping: give rules by header name, such as {{x-github-event: push}}");
        }

        if (filter.Query is { } query && query.GetValueKind() != JsonValueKind.Object)
        {
            check.Error("spec.filter.query", $"is a {KindName(query.GetValueKind())}, not a mapping: give rules by parameter name, such as {{type: order}}");
        }

        if (filter.Cel is { } cel && string.IsNullOrWhiteSpace(cel))
        {
            check.Error("spec.filter.cel", "is empty: write an expression that returns true for the requests to route, or remove cel");
        }
    }

    private static void ValidateTransform(Check check, TransformSpec? transform)
    {
        if (transform is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(transform.Script))
        {
            check.Error("spec.transform.script", "is missing: give JavaScript that defines function transform(request)");
        }
        else if (transform.Script.Length > TransformLimits.MaxScriptLength)
        {
            check.Error("spec.transform.script", $"has {transform.Script.Length} characters, more than the {TransformLimits.MaxScriptLength} allowed");
        }

        var timeout = check.Duration("spec.transform.timeout", transform.Timeout);
        if (timeout > TransformLimits.MaxTimeout)
        {
            check.Error("spec.transform.timeout", $"\"{transform.Timeout}\" is too long: use at most {TransformLimits.MaxTimeout.TotalSeconds:0}s");
        }

        if (transform.MaxMemoryBytes is { } memory && (memory < TransformLimits.MinMemoryBytes || memory > TransformLimits.MaxMemoryBytes))
        {
            check.Error("spec.transform.maxMemoryBytes", $"{memory} is out of range: use {TransformLimits.MinMemoryBytes} (1 MiB) to {TransformLimits.MaxMemoryBytes} (1 GiB)");
        }

        if (transform.MaxRecursionDepth is { } depth && (depth < 1 || depth > TransformLimits.MaxRecursionDepth))
        {
            check.Error("spec.transform.maxRecursionDepth", $"{depth} is out of range: use 1 to {TransformLimits.MaxRecursionDepth}");
        }
    }

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "list",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
