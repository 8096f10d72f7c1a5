using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Catalog;
using FastHook.KubeEmulator.Http;
using FastHook.KubeEmulator.Storage;

namespace FastHook.KubeEmulator.Selectors;

/// <summary>
/// A parsed fieldSelector query parameter: comma-separated "path=value", "path==value" or "path!=value"
/// terms over the fields a type supports.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string Path, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string Path, bool Equal, string Value)> terms)
    {
        _terms = terms;
    }

    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The name the selector pins with metadata.name=..., used for watches on one object.</summary>
    public string? PinnedName => _terms.FirstOrDefault(t => t.Path == "metadata.name" && t.Equal).Value;

    /// <summary>Parses a field selector. Throws a 400 ApiException for a malformed term or a field the type does not support.</summary>
    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (path, equal, value) = SplitTerm(raw, text);
            if (path != "metadata.name" && path != "metadata.namespace" && !type.SelectableFields.Contains(path))
            {
                throw ApiErrors.BadRequest(
                    $"field label not supported: \"{path}\" for {type.QualifiedResource}; " +
                    $"supported fields: metadata.name, metadata.namespace{string.Concat(type.SelectableFields.Select(f => ", " + f))}");
            }

            terms.Add((path, equal, value));
        }

        return new FieldSelector(terms);
    }

    public static FieldSelector ForName(string name) => new([("metadata.name", true, name)]);

    public bool Matches(JsonObject obj)
    {
        foreach (var (path, equal, value) in _terms)
        {
            var actual = Lookup(obj, path);
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    private static (string Path, bool Equal, string Value) SplitTerm(string term, string selector)
    {
        var notEqual = term.IndexOf("!=", StringComparison.Ordinal);
        if (notEqual > 0)
        {
            return (term[..notEqual].Trim(), false, term[(notEqual + 2)..].Trim());
        }

        var doubleEqual = term.IndexOf("==", StringComparison.Ordinal);
        if (doubleEqual > 0)
        {
            return (term[..doubleEqual].Trim(), true, term[(doubleEqual + 2)..].Trim());
        }

        var equal = term.IndexOf('=', StringComparison.Ordinal);
        if (equal > 0)
        {
            return (term[..equal].Trim(), true, term[(equal + 1)..].Trim());
        }

        throw ApiErrors.BadRequest(
            $"invalid fieldSelector \"{selector}\": term \"{term}\" has no operator; use field=value, field==value or field!=value");
    }

    /// <summary>Reads a dotted path as a string. A missing field reads as empty, as the API server treats it.</summary>
    private static string Lookup(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject current ? current[segment] : null;
        }

        return node switch
        {
            null => "",
            JsonValue value => Metadata.StringValue(value) ?? value.ToJsonString(),
            _ => node.ToJsonString(),
        };
    }
}
