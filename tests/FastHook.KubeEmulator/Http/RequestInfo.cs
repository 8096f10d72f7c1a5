namespace FastHook.KubeEmulator.Http;

/// <summary>
/// What a request path and method address, split the way the API server's request info resolver does:
/// group, version, namespace, resource, name, subresource and the Kubernetes verb.
/// </summary>
internal sealed record RequestInfo(
    string Verb,
    string Group,
    string Version,
    string? Namespace,
    string Resource,
    string? Name,
    string? Subresource)
{
    /// <summary>Subresources of a namespace, which the path form /namespaces/{name}/{x} names instead of a namespaced resource.</summary>
    private static HashSet<string> NamespaceSubresources { get; } = ["status", "finalize"];

    /// <summary>Parses /api/v1/... and /apis/{group}/{version}/... resource paths, and returns null for any other path.</summary>
    public static RequestInfo? Parse(string method, string path, bool watchQuery)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        string version;
        int rest;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            (group, version, rest) = ("", parts[1], 2);
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            (group, version, rest) = (parts[1], parts[2], 3);
        }
        else
        {
            return null;
        }

        var segments = parts[rest..];
        var watchPath = segments[0] == "watch";
        if (watchPath)
        {
            segments = segments[1..];
        }

        string? namespaceName = null;
        if (segments.Length >= 3 && segments[0] == "namespaces" && !NamespaceSubresources.Contains(segments[2]))
        {
            namespaceName = segments[1];
            segments = segments[2..];
        }

        if (segments.Length is 0 or > 3)
        {
            return null;
        }

        var resource = segments[0];
        var name = segments.Length > 1 ? segments[1] : null;
        var subresource = segments.Length > 2 ? segments[2] : null;
        var verb = VerbOf(method, name is not null, watchPath || watchQuery);
        return new RequestInfo(verb, group, version, namespaceName, resource, name, subresource);
    }

    private static string VerbOf(string method, bool hasName, bool watch) => method switch
    {
        "GET" or "HEAD" when watch => "watch",
        "GET" or "HEAD" => hasName ? "get" : "list",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => hasName ? "delete" : "deletecollection",
        _ => method.ToLowerInvariant(),
    };
}
