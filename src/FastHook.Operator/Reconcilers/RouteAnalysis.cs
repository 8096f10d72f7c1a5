using System.Text.Json.Nodes;
using FastHook.Api.Manifests;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Configuration;
using k8s;
using k8s.Models;

namespace FastHook.Operator.Reconcilers;

/// <summary>
/// The cached resources and their Secrets checked together by <see cref="ManifestValidator"/>, as the gateway
/// would check them, with the problems of each resource and the subset the gateway can load.
/// </summary>
public sealed class RouteAnalysis
{
    private readonly Dictionary<string, List<ManifestError>> _errors;

    private RouteAnalysis(ManifestSet all, ManifestSet valid, Dictionary<string, List<ManifestError>> errors)
    {
        All = all;
        Valid = valid;
        _errors = errors;
    }

    /// <summary>Every resource that is not being deleted, with the Secret keys they reference.</summary>
    public ManifestSet All { get; }

    /// <summary>The resources the gateway can load: valid ones whose references are valid too.</summary>
    public ManifestSet Valid { get; }

    /// <summary>The problems of one resource; empty when it is valid.</summary>
    public IReadOnlyList<ManifestError> ErrorsOf(string kind, string qualifiedName) =>
        _errors.TryGetValue(ManifestSet.Describe(kind, qualifiedName), out var errors) ? errors : [];

    public bool IsValid(string kind, string qualifiedName) => Valid.Files.ContainsKey(ManifestSet.Describe(kind, qualifiedName));

    public static RouteAnalysis Analyze(
        IEnumerable<WebhookSource> sources,
        IEnumerable<Destination> destinations,
        IEnumerable<Connection> connections,
        Func<string, string, V1Secret?> findSecret)
    {
        var all = new ManifestSet();
        Add(all, all.Sources, sources.Where(IsLive), findSecret);
        Add(all, all.Destinations, destinations.Where(IsLive), findSecret);
        Add(all, all.Connections, connections.Where(IsLive), findSecret);

        var errors = new Dictionary<string, List<ManifestError>>(StringComparer.Ordinal);
        foreach (var error in ManifestValidator.Validate(all))
        {
            Record(errors, error);
        }

        // Filters and transforms are compiled by the gateway's route builder, not by the validator; a Connection
        // whose rule does not compile would make the gateway reject the whole configuration.
        // NOTE: this compiles every connection's rules on each analysis, which costs more as connections grow.
        foreach (var connection in all.Connections)
        {
            var ruleErrors = new List<ManifestError>();
            RouteTableBuilder.CompileRules(all, connection, ruleErrors);
            foreach (var error in ruleErrors)
            {
                Record(errors, error);
            }
        }

        // Dropping an invalid resource can make a resource that refers to it invalid, so the valid subset is
        // checked again until it is clean. Each pass removes at least one resource, so the loop ends.
        var valid = Subset(all, errors);
        for (var pass = 0; pass < 10; pass++)
        {
            var remaining = ManifestValidator.Validate(valid);
            if (remaining.Count == 0)
            {
                break;
            }

            foreach (var error in remaining)
            {
                Record(errors, error);
            }

            valid = Subset(all, errors);
        }

        return new RouteAnalysis(all, valid, errors);
    }

    /// <summary>Lists the (namespace, name) of every Secret a resource's spec references.</summary>
    public static IEnumerable<(string Namespace, string Name, string Key)> SecretReferences(IKubernetesObject<V1ObjectMeta> resource)
    {
        var ns = NamespaceOf(resource);
        var root = JsonNode.Parse(KubernetesJson.Serialize(resource))?["spec"];
        return root is null ? [] : Walk(root).Select(reference => (ns, reference.Name, reference.Key));
    }

    private static IEnumerable<(string Name, string Key)> Walk(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (value is JsonObject reference && name.EndsWith("secretRef", StringComparison.OrdinalIgnoreCase))
                    {
                        yield return (reference["name"]?.ToString() ?? "", reference["key"]?.ToString() ?? "");
                    }
                    else if (value is JsonArray references && name.EndsWith("secretRefs", StringComparison.OrdinalIgnoreCase))
                    {
                        foreach (var item in references.OfType<JsonObject>())
                        {
                            yield return (item["name"]?.ToString() ?? "", item["key"]?.ToString() ?? "");
                        }
                    }
                    else if (value is not null)
                    {
                        foreach (var nested in Walk(value))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array.OfType<JsonNode>())
                {
                    foreach (var nested in Walk(item))
                    {
                        yield return nested;
                    }
                }

                break;
        }
    }

    private static void Add<T>(ManifestSet set, List<T> list, IEnumerable<T> resources, Func<string, string, V1Secret?> findSecret)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        foreach (var resource in resources)
        {
            // The validator reads "default" for an empty namespace, as kubectl does; cached objects always have one.
            var described = ManifestSet.Describe(resource.Kind, $"{NamespaceOf(resource)}/{resource.Metadata.Name}");
            list.Add(resource);
            set.Files[described] = described;

            foreach (var (ns, name, _) in SecretReferences(resource))
            {
                var qualified = $"{ns}/{name}";
                if (set.Secrets.ContainsKey(qualified) || findSecret(ns, name) is not { } secret)
                {
                    continue;
                }

                set.Secrets[qualified] = new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal);
                set.Files[ManifestSet.Describe("Secret", qualified)] = $"Secret {qualified}";
            }
        }
    }

    private static ManifestSet Subset(ManifestSet all, Dictionary<string, List<ManifestError>> errors)
    {
        var valid = new ManifestSet();
        bool Ok(string kind, string qualified) => !errors.ContainsKey(ManifestSet.Describe(kind, qualified));

        foreach (var source in all.Sources.Where(source => Ok(source.Kind, source.QualifiedName)))
        {
            valid.Sources.Add(source);
            valid.Files[ManifestSet.Describe(source.Kind, source.QualifiedName)] = all.FileOf(source.Kind, source.QualifiedName);
        }

        foreach (var destination in all.Destinations.Where(destination => Ok(destination.Kind, destination.QualifiedName)))
        {
            valid.Destinations.Add(destination);
            valid.Files[ManifestSet.Describe(destination.Kind, destination.QualifiedName)] = all.FileOf(destination.Kind, destination.QualifiedName);
        }

        foreach (var connection in all.Connections.Where(connection => Ok(connection.Kind, connection.QualifiedName)))
        {
            var source = $"{connection.Namespace}/{connection.Spec.SourceRef?.Name}";
            var destination = $"{connection.Namespace}/{connection.Spec.DestinationRef?.Name}";
            if (!valid.Files.ContainsKey(ManifestSet.Describe(WebhookSource.KindName, source))
                || !valid.Files.ContainsKey(ManifestSet.Describe(Destination.KindName, destination)))
            {
                continue;
            }

            valid.Connections.Add(connection);
            valid.Files[ManifestSet.Describe(connection.Kind, connection.QualifiedName)] = all.FileOf(connection.Kind, connection.QualifiedName);
        }

        foreach (var (qualified, data) in all.Secrets)
        {
            valid.Secrets[qualified] = data;
            valid.Files[ManifestSet.Describe("Secret", qualified)] = all.FileOf("Secret", qualified);
        }

        return valid;
    }

    private static void Record(Dictionary<string, List<ManifestError>> errors, ManifestError error)
    {
        var key = error.Resource ?? error.File;
        if (!errors.TryGetValue(key, out var list))
        {
            errors[key] = list = [];
        }

        if (!list.Contains(error))
        {
            list.Add(error);
        }
    }

    private static bool IsLive(IKubernetesObject<V1ObjectMeta> resource) => resource.Metadata.DeletionTimestamp is null;

    private static string NamespaceOf(IKubernetesObject<V1ObjectMeta> resource) =>
        string.IsNullOrEmpty(resource.Metadata.NamespaceProperty) ? "default" : resource.Metadata.NamespaceProperty;
}
