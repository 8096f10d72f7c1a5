using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FastHook.Api.V1Alpha1;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FastHook.Api.Manifests;

/// <summary>
/// Reads multi-document YAML or JSON manifests from files and folders, the same files <c>kubectl apply -f</c> takes.
/// </summary>
public static class ManifestLoader
{
    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Loads and validates every manifest under <paramref name="paths"/>.
    /// Throws <see cref="ManifestException"/> listing every problem when any is found.
    /// </summary>
    public static ManifestSet LoadAndValidate(IEnumerable<string> paths)
    {
        var errors = new List<ManifestError>();
        var set = Load(paths, errors);
        errors.AddRange(ManifestValidator.Validate(set));
        if (errors.Count > 0)
        {
            throw new ManifestException(errors);
        }

        return set;
    }

    /// <summary>
    /// Reads the manifests under <paramref name="paths"/> without checking their contents, adding read errors to <paramref name="errors"/>.
    /// </summary>
    public static ManifestSet Load(IEnumerable<string> paths, List<ManifestError> errors)
    {
        var set = new ManifestSet();
        foreach (var file in ExpandPaths(paths, errors))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException exception)
            {
                errors.Add(new ManifestError(file, null, null, $"cannot be read: {exception.Message}"));
                continue;
            }

            LoadText(set, file, text, errors);
        }

        return set;
    }

    /// <summary>
    /// Reads the manifests in <paramref name="text"/>, naming <paramref name="file"/> in errors.
    /// </summary>
    public static void LoadText(ManifestSet set, string file, string text, List<ManifestError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            errors.Add(new ManifestError(file, null, null, $"is not valid YAML at line {exception.Start.Line}, column {exception.Start.Column}: {exception.InnerException?.Message ?? exception.Message}"));
            return;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException on some malformed input, such as a
            // flow sequence that is never closed.
            errors.Add(new ManifestError(file, null, null, "is not valid YAML: check for an unclosed '[' or '{' or a misplaced quote"));
            return;
        }

        var index = 0;
        foreach (var document in stream.Documents)
        {
            index++;
            switch (YamlToJson.Convert(document.RootNode))
            {
                case JsonObject root:
                    AddObject(set, file, root, errors);
                    break;
                case null:
                    break;
                default:
                    errors.Add(new ManifestError(file, null, null, $"document {index} is not a resource: each document must be a mapping with apiVersion, kind and metadata"));
                    break;
            }
        }
    }

    private static void AddObject(ManifestSet set, string file, JsonObject root, List<ManifestError> errors)
    {
        var apiVersion = root["apiVersion"]?.GetValueKind() == JsonValueKind.String ? root["apiVersion"]!.GetValue<string>() : null;
        var kind = root["kind"]?.GetValueKind() == JsonValueKind.String ? root["kind"]!.GetValue<string>() : null;

        if (kind == "List" && root["items"] is JsonArray items)
        {
            foreach (var item in items.OfType<JsonObject>())
            {
                AddObject(set, file, item, errors);
            }

            return;
        }

        switch (kind, apiVersion)
        {
            case (WebhookSource.KindName, ApiGroup.ApiVersion):
                Add(set, set.Sources, file, root, errors);
                break;
            case (Destination.KindName, ApiGroup.ApiVersion):
                Add(set, set.Destinations, file, root, errors);
                break;
            case (Connection.KindName, ApiGroup.ApiVersion):
                Add(set, set.Connections, file, root, errors);
                break;
            case ("Secret", "v1"):
                AddSecret(set, file, root, errors);
                break;
            case (WebhookSource.KindName or Destination.KindName or Connection.KindName, _):
                errors.Add(new ManifestError(file, kind, "apiVersion", $"\"{apiVersion}\" is not supported: use {ApiGroup.ApiVersion}"));
                break;
            case (null, _):
                errors.Add(new ManifestError(file, null, "kind", "is missing: every document needs a kind (WebhookSource, Destination, Connection or Secret)"));
                break;
            default:
                errors.Add(new ManifestError(file, kind, "kind", $"\"{kind}\" ({apiVersion}) is not a kind the gateway reads: use WebhookSource, Destination or Connection ({ApiGroup.ApiVersion}), or Secret (v1)"));
                break;
        }
    }

    private static void Add<T>(ManifestSet set, List<T> list, string file, JsonObject root, List<ManifestError> errors)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        var described = Describe(root);
        T? resource;
        try
        {
            resource = root.Deserialize<T>(SerializerOptions);
        }
        catch (JsonException exception)
        {
            errors.Add(new ManifestError(file, described, FieldOf(exception), DescribeJsonError(exception)));
            set.Unreadable.Add(described);
            return;
        }

        if (resource is null)
        {
            return;
        }

        if (resource.Metadata is null || string.IsNullOrEmpty(resource.Metadata.Name))
        {
            errors.Add(new ManifestError(file, described, "metadata.name", "is missing: every resource needs a name"));
            set.Unreadable.Add(described);
            return;
        }

        var qualified = $"{NamespaceOf(resource.Metadata)}/{resource.Metadata.Name}";
        var key = ManifestSet.Describe(resource.Kind, qualified);
        if (!set.Files.TryAdd(key, file))
        {
            errors.Add(new ManifestError(file, key, "metadata.name", $"is defined twice: also in {set.Files[key]}; give each resource a unique name in its namespace"));
            return;
        }

        list.Add(resource);
    }

    private static void AddSecret(ManifestSet set, string file, JsonObject root, List<ManifestError> errors)
    {
        var described = Describe(root);
        V1Secret? secret;
        try
        {
            secret = root.Deserialize<V1Secret>(SerializerOptions);
        }
        catch (JsonException exception)
        {
            errors.Add(new ManifestError(file, described, FieldOf(exception), DescribeJsonError(exception)));
            return;
        }
        catch (FormatException)
        {
            errors.Add(new ManifestError(file, described, "data", "holds a value that is not base64: put plain text under stringData instead"));
            return;
        }

        if (secret?.Metadata?.Name is not { Length: > 0 } name)
        {
            errors.Add(new ManifestError(file, described, "metadata.name", "is missing"));
            return;
        }

        var qualified = $"{NamespaceOf(secret.Metadata)}/{name}";
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
        {
            data[key] = value;
        }

        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
        {
            data[key] = System.Text.Encoding.UTF8.GetBytes(value);
        }

        if (!set.Secrets.TryAdd(qualified, data))
        {
            errors.Add(new ManifestError(file, $"Secret {qualified}", "metadata.name", $"is defined twice: also in {set.FileOf("Secret", qualified)}"));
            return;
        }

        set.Files[ManifestSet.Describe("Secret", qualified)] = file;
    }

    private static IEnumerable<string> ExpandPaths(IEnumerable<string> paths, List<ManifestError> errors)
    {
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                yield return path;
            }
            else if (Directory.Exists(path))
            {
                var files = EnumerateVisibleFiles(path)
                    .Where(file => file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
                        || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
                        || file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal);
                foreach (var file in files)
                {
                    yield return file;
                }
            }
            else
            {
                errors.Add(new ManifestError(path, null, null, "does not exist: pass a manifest file or a folder of .yaml, .yml or .json files"));
            }
        }
    }

    /// <summary>
    /// Lists files below <paramref name="folder"/>, skipping names that start with '.', so that the "..data" links
    /// of a mounted ConfigMap are not read twice.
    /// </summary>
    public static IEnumerable<string> EnumerateVisibleFiles(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            if (!Path.GetFileName(file).StartsWith('.'))
            {
                yield return file;
            }
        }

        foreach (var child in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(child).StartsWith('.'))
            {
                continue;
            }

            foreach (var file in EnumerateVisibleFiles(child))
            {
                yield return file;
            }
        }
    }

    private static string NamespaceOf(V1ObjectMeta? metadata) =>
        string.IsNullOrEmpty(metadata?.NamespaceProperty) ? "default" : metadata.NamespaceProperty;

    private static string Describe(JsonObject root)
    {
        var kind = root["kind"]?.ToString() ?? "(no kind)";
        var metadata = root["metadata"] as JsonObject;
        var name = metadata?["name"]?.ToString() ?? "(no name)";
        var ns = metadata?["namespace"]?.ToString() ?? "default";
        return $"{kind} {ns}/{name}";
    }

    private static string? FieldOf(JsonException exception) =>
        exception.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;

    private static string DescribeJsonError(JsonException exception)
    {
        var message = exception.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var start = message.IndexOf('\'', StringComparison.Ordinal);
            var end = start >= 0 ? message.IndexOf('\'', start + 1) : -1;
            var property = end > start ? message[(start + 1)..end] : "?";
            return $"has the unknown field \"{property}\": check its spelling against the {ApiGroup.ApiVersion} API";
        }

        return "has a value of the wrong type: " + message.Split(" Path:", 2)[0];
    }
}
