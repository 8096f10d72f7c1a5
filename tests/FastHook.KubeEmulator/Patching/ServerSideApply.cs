using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Http;

namespace FastHook.KubeEmulator.Patching;

/// <summary>
/// A subset of server-side apply. Each field manager owns the leaf fields of its last applied configuration.
/// Applying a value that another manager owns is a conflict unless forced, and a field that a manager stops
/// applying is removed unless another manager still owns it.
/// </summary>
/// <remarks>
/// NOTE: ownership is tracked only between apply requests. Fields written by create, update or patch have
/// no owner, so those writers never cause or get conflicts, and managedFields is not written to the object. Lists are atomic: a manager owns a whole list, never single items keyed by name.
/// </remarks>
internal static class ServerSideApply
{
    /// <summary>Fields the server owns. An applied configuration may carry them, but they are never owned or merged.</summary>
    private static HashSet<string> ServerFields { get; } =
    [
        "/apiVersion", "/kind", "/metadata/name", "/metadata/namespace", "/metadata/resourceVersion",
        "/metadata/uid", "/metadata/creationTimestamp", "/metadata/generation", "/metadata/managedFields",
        "/metadata/deletionTimestamp", "/metadata/deletionGracePeriodSeconds", "/metadata/selfLink",
        "/metadata/generateName",
    ];

    /// <summary>
    /// Merges <paramref name="applied"/> into <paramref name="current"/> (null when the object does not exist yet)
    /// and returns the result with the new ownership. Throws a 409 ApiException listing each conflict.
    /// </summary>
    public static (JsonObject Result, Dictionary<string, HashSet<string>> Owners) Apply(
        JsonObject? current,
        JsonObject applied,
        string manager,
        bool force,
        IReadOnlyDictionary<string, HashSet<string>> owners,
        Func<string, bool> ownsPath,
        Func<IReadOnlyList<StatusCause>, ApiException> conflict)
    {
        var leaves = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        CollectLeaves(applied, "", leaves);
        foreach (var path in leaves.Keys.Where(p => ServerFields.Contains(p) || !ownsPath(p)).ToList())
        {
            leaves.Remove(path);
        }

        var newOwners = owners.ToDictionary(o => o.Key, o => new HashSet<string>(o.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        var conflicts = FindConflicts(current, leaves, manager, newOwners);
        if (conflicts.Count > 0 && !force)
        {
            throw conflict(conflicts);
        }

        foreach (var (other, paths) in newOwners.Where(o => o.Key != manager))
        {
            paths.ExceptWith(leaves.Keys);
        }

        var result = (JsonObject?)current?.DeepClone() ?? new JsonObject();
        var previous = newOwners.GetValueOrDefault(manager) ?? [];
        foreach (var dropped in previous.Where(p => !leaves.ContainsKey(p)))
        {
            if (!newOwners.Any(o => o.Key != manager && o.Value.Contains(dropped)))
            {
                RemovePath(result, dropped);
            }
        }

        foreach (var (path, value) in leaves)
        {
            SetPath(result, path, value?.DeepClone());
        }

        newOwners[manager] = [.. leaves.Keys];
        foreach (var empty in newOwners.Where(o => o.Value.Count == 0).Select(o => o.Key).ToList())
        {
            newOwners.Remove(empty);
        }

        return (result, newOwners);
    }

    /// <summary>The path in the dotted form the API server shows in conflict messages, such as ".spec.replicas".</summary>
    public static string Display(string pointer) =>
        string.Concat(pointer.Split('/').Skip(1).Select(t => "." + t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)));

    private static List<StatusCause> FindConflicts(
        JsonObject? current, Dictionary<string, JsonNode?> leaves, string manager, Dictionary<string, HashSet<string>> owners)
    {
        var conflicts = new List<StatusCause>();
        if (current is null)
        {
            return conflicts;
        }

        foreach (var (path, value) in leaves)
        {
            if (JsonNode.DeepEquals(GetPath(current, path), value))
            {
                continue;
            }

            foreach (var (other, paths) in owners)
            {
                if (other != manager && paths.Contains(path))
                {
                    conflicts.Add(new StatusCause("FieldManagerConflict", $"conflict with \"{other}\"", Display(path)));
                }
            }
        }

        return conflicts;
    }

    /// <summary>Collects leaf values by JSON pointer: scalars, lists and empty objects. Nulls are skipped.</summary>
    private static void CollectLeaves(JsonNode? node, string path, Dictionary<string, JsonNode?> leaves)
    {
        switch (node)
        {
            case null:
                return;
            case JsonObject obj when obj.Count > 0:
                foreach (var (key, child) in obj)
                {
                    CollectLeaves(child, path + "/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal), leaves);
                }

                return;
            default:
                if (path.Length > 0)
                {
                    leaves[path] = node;
                }

                return;
        }
    }

    private static List<string> Tokens(string pointer) =>
        [.. pointer.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static JsonNode? GetPath(JsonObject root, string pointer)
    {
        JsonNode? current = root;
        foreach (var token in Tokens(pointer))
        {
            current = (current as JsonObject)?[token];
        }

        return current;
    }

    private static void SetPath(JsonObject root, string pointer, JsonNode? value)
    {
        var tokens = Tokens(pointer);
        var current = root;
        foreach (var token in tokens.Take(tokens.Count - 1))
        {
            if (current[token] is not JsonObject child)
            {
                child = new JsonObject();
                current[token] = child;
            }

            current = child;
        }

        current[tokens[^1]] = value;
    }

    /// <summary>Removes a field, then the objects it leaves empty below the top level.</summary>
    private static void RemovePath(JsonObject root, string pointer)
    {
        var tokens = Tokens(pointer);
        var chain = new List<JsonObject> { root };
        foreach (var token in tokens.Take(tokens.Count - 1))
        {
            if (chain[^1][token] is not JsonObject child)
            {
                return;
            }

            chain.Add(child);
        }

        chain[^1].Remove(tokens[^1]);
        for (var depth = chain.Count - 1; depth >= 2 && chain[depth].Count == 0; depth--)
        {
            chain[depth - 1].Remove(tokens[depth - 1]);
        }
    }
}
