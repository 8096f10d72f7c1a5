using System.Text.Json;
using System.Text.Json.Nodes;
using FastHook.Api.Manifests;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;

namespace FastHook.Operator.GatewayObjects;

/// <summary>
/// Writes the routing configuration the gateway loads: the valid resources as YAML documents for the ConfigMap,
/// and the referenced Secret keys as <c>kind: Secret</c> documents for the gateway's Secret. Secret values go
/// only into the second.
/// </summary>
public static class RoutingDocuments
{
    /// <summary>The ConfigMap key holding the resources.</summary>
    public const string RoutesKey = FastHook.Gateway.Configuration.KubernetesConfigSource.RoutesKey;

    /// <summary>The Secret key holding the Secret documents.</summary>
    public const string SecretsKey = FastHook.Gateway.Configuration.KubernetesConfigSource.SecretsKey;

    private static readonly ISerializer Yaml = new SerializerBuilder().WithQuotingNecessaryStrings().DisableAliases().Build();

    public static string Routes(ManifestSet set)
    {
        var documents = new List<object?>();
        documents.AddRange(set.Sources.OrderBy(source => source.QualifiedName, StringComparer.Ordinal).Select(ToDocument));
        documents.AddRange(set.Destinations.OrderBy(destination => destination.QualifiedName, StringComparer.Ordinal).Select(ToDocument));
        documents.AddRange(set.Connections.OrderBy(connection => connection.QualifiedName, StringComparer.Ordinal).Select(ToDocument));
        return Join(documents);
    }

    /// <summary>
    /// Writes the referenced keys of each Secret. Keys that no valid resource references are left out, so the
    /// gateway gets no more secret material than it uses.
    /// </summary>
    public static string Secrets(ManifestSet set)
    {
        var referenced = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        IEnumerable<IKubernetesObject<V1ObjectMeta>> resources = [.. set.Sources, .. set.Destinations, .. set.Connections];
        foreach (var resource in resources)
        {
            foreach (var (ns, name, key) in Reconcilers.RouteAnalysis.SecretReferences(resource))
            {
                var qualified = $"{ns}/{name}";
                if (!set.Secrets.TryGetValue(qualified, out var data) || !data.TryGetValue(key, out var value))
                {
                    continue;
                }

                if (!referenced.TryGetValue(qualified, out var keys))
                {
                    referenced[qualified] = keys = new SortedDictionary<string, string>(StringComparer.Ordinal);
                }

                keys[key] = Convert.ToBase64String(value);
            }
        }

        var documents = referenced.Select(secret =>
        {
            var separator = secret.Key.IndexOf('/', StringComparison.Ordinal);
            return (object?)new Dictionary<string, object>
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new Dictionary<string, object> { ["name"] = secret.Key[(separator + 1)..], ["namespace"] = secret.Key[..separator] },
                ["data"] = secret.Value,
            };
        });
        return Join(documents);
    }

    private static object? ToDocument(IKubernetesObject<V1ObjectMeta> resource)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(resource))!.AsObject();
        var spec = node["spec"]?.DeepClone() as JsonObject ?? [];

        // Replay requests are carried out by the operator through Redis, so the gateway does not need them, and
        // leaving them out keeps the gateway's configuration unchanged when only a replay is added.
        spec.Remove("replays");

        var document = new JsonObject
        {
            ["apiVersion"] = resource.ApiVersion,
            ["kind"] = resource.Kind,
            ["metadata"] = new JsonObject { ["name"] = resource.Metadata.Name, ["namespace"] = resource.Metadata.NamespaceProperty },
            ["spec"] = spec,
        };
        return ToPlain(document);
    }

    private static string Join(IEnumerable<object?> documents) =>
        string.Join("---\n", documents.Select(document => Yaml.Serialize(document)));

    /// <summary>Turns a JSON tree into dictionaries, lists and scalars that YamlDotNet writes as plain YAML.</summary>
    private static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(pair => pair.Key, pair => ToPlain(pair.Value), StringComparer.Ordinal),
        JsonArray array => array.Select(ToPlain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetValue<long>(out var integer) => integer,
            JsonValueKind.Number => value.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };
}
