using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Storage;

namespace FastHook.KubeEmulator.Patching;

/// <summary>
/// JSON patch (RFC 6902): add, remove, replace, move, copy and test operations addressed by JSON pointers.
/// </summary>
internal static class JsonPatch
{
    /// <summary>Applies the operations in order and returns the new document. Throws <see cref="PatchException"/> when one fails.</summary>
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        var root = document.DeepClone();
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject operation)
            {
                throw new PatchException($"operation {i} is not a JSON object", badRequest: true);
            }

            var op = Metadata.StringValue(operation["op"]);
            var path = Metadata.StringValue(operation["path"])
                ?? throw new PatchException($"operation {i} ({op}) has no \"path\"", badRequest: true);

            root = op switch
            {
                "add" => Add(root, path, RequireValue(operation, i)),
                "remove" => Remove(root, path, out _),
                "replace" => Replace(root, path, RequireValue(operation, i)),
                "move" => Move(root, RequireFrom(operation, i), path),
                "copy" => Add(root, path, Get(root, RequireFrom(operation, i))?.DeepClone()),
                "test" => Test(root, path, RequireValue(operation, i)),
                _ => throw new PatchException(
                    $"operation {i} has unknown op \"{op}\"; use add, remove, replace, move, copy or test", badRequest: true),
            };
        }

        return root;
    }

    private static JsonNode Add(JsonNode root, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value ?? throw new PatchException("cannot replace the whole document with null");
        }

        var (parent, token) = Parent(root, path);
        switch (parent)
        {
            case JsonObject obj:
                obj[token] = value;
                break;
            case JsonArray array:
                var index = token == "-" ? array.Count : Index(token, array.Count + 1, path);
                array.Insert(index, value);
                break;
            default:
                throw new PatchException($"cannot add at \"{path}\": the parent is not an object or an array");
        }

        return root;
    }

    private static JsonNode Remove(JsonNode root, string path, out JsonNode? removed)
    {
        var (parent, token) = Parent(root, path);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(token):
                removed = obj[token];
                obj.Remove(token);
                break;
            case JsonArray array:
                var index = Index(token, array.Count, path);
                removed = array[index];
                array.RemoveAt(index);
                break;
            default:
                throw new PatchException($"cannot remove \"{path}\": no value exists there");
        }

        return root;
    }

    private static JsonNode Replace(JsonNode root, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value ?? throw new PatchException("cannot replace the whole document with null");
        }

        Remove(root, path, out _);
        return Add(root, path, value);
    }

    private static JsonNode Move(JsonNode root, string from, string path)
    {
        if (path.StartsWith(from + "/", StringComparison.Ordinal))
        {
            throw new PatchException($"cannot move \"{from}\" into its own child \"{path}\"");
        }

        Remove(root, from, out var value);
        return Add(root, path, value);
    }

    private static JsonNode Test(JsonNode root, string path, JsonNode? expected)
    {
        var actual = Get(root, path);
        if (!JsonNode.DeepEquals(actual, expected))
        {
            throw new PatchException(
                $"test failed at \"{path}\": expected {expected?.ToJsonString() ?? "null"}, found {actual?.ToJsonString() ?? "null"}");
        }

        return root;
    }

    private static JsonNode? Get(JsonNode root, string path)
    {
        if (path.Length == 0)
        {
            return root;
        }

        var (parent, token) = Parent(root, path);
        return parent switch
        {
            JsonObject obj when obj.TryGetPropertyValue(token, out var value) => value,
            JsonArray array => array[Index(token, array.Count, path)],
            _ => throw new PatchException($"no value exists at \"{path}\""),
        };
    }

    /// <summary>Walks to the container of the pointer's last token.</summary>
    private static (JsonNode? Parent, string Token) Parent(JsonNode root, string path)
    {
        if (!path.StartsWith('/'))
        {
            throw new PatchException($"path \"{path}\" is not a JSON pointer: it must start with '/'", badRequest: true);
        }

        var tokens = path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        JsonNode? current = root;
        foreach (var token in tokens.Take(tokens.Count - 1))
        {
            current = current switch
            {
                JsonObject obj when obj[token] is { } child => child,
                JsonArray array => array[Index(token, array.Count, path)],
                _ => throw new PatchException($"no value exists at \"{path}\": \"{token}\" is missing"),
            };
        }

        return (current, tokens[^1]);
    }

    private static int Index(string token, int count, string path)
    {
        if (!int.TryParse(token, out var index) || index < 0 || index >= count)
        {
            throw new PatchException($"array index \"{token}\" in \"{path}\" is out of range (0 to {count - 1})");
        }

        return index;
    }

    private static JsonNode? RequireValue(JsonObject operation, int i) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw new PatchException($"operation {i} ({Metadata.StringValue(operation["op"])}) has no \"value\"", badRequest: true);

    private static string RequireFrom(JsonObject operation, int i) =>
        Metadata.StringValue(operation["from"])
            ?? throw new PatchException($"operation {i} ({Metadata.StringValue(operation["op"])}) has no \"from\"", badRequest: true);
}

/// <summary>
/// A patch that could not be applied. <see cref="BadRequest"/> marks a malformed patch document (400),
/// as opposed to one that does not fit the object (422).
/// </summary>
internal sealed class PatchException(string message, bool badRequest = false) : Exception(message)
{
    public bool BadRequest { get; } = badRequest;
}
