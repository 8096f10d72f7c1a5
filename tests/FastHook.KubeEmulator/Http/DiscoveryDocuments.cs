using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Catalog;

namespace FastHook.KubeEmulator.Http;

/// <summary>
/// The legacy discovery documents (APIVersions, APIGroupList, APIGroup, APIResourceList) built from the types
/// the emulator currently serves, so a CRD's group appears as soon as the CRD is created.
/// </summary>
/// <remarks>
/// Aggregated discovery (Accept: application/json;g=apidiscovery.k8s.io;v=v2) is not served. The legacy
/// documents come back instead, which clients such as kubectl accept as a fallback.
/// </remarks>
internal static class DiscoveryDocuments
{
    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = serverAddress,
        }),
    };

    public static JsonObject GroupList(IReadOnlyList<ResourceType> types) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. types.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct().Select(g => (JsonNode)Group(g, types))]),
    };

    public static JsonObject? GroupDocument(string group, IReadOnlyList<ResourceType> types)
    {
        if (!types.Any(t => t.Group == group))
        {
            return null;
        }

        var document = Group(group, types);
        document["kind"] = "APIGroup";
        document["apiVersion"] = "v1";
        return document;
    }

    public static JsonObject? ResourceList(string group, string version, IReadOnlyList<ResourceType> types)
    {
        var served = types.Where(t => t.Group == group && t.Serves(version)).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var type in served)
        {
            var entry = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = Verbs(type),
            };
            if (type.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray([.. type.ShortNames.Select(s => (JsonNode)s)]);
            }

            resources.Add(entry);
            if (type.HasStatusSubresource)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Group(string group, IReadOnlyList<ResourceType> types)
    {
        var versions = types.Where(t => t.Group == group).SelectMany(t => t.Versions).Distinct().ToList();
        var preferred = types.First(t => t.Group == group).StorageVersion;
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)VersionEntry(group, v))]),
            ["preferredVersion"] = VersionEntry(group, preferred),
        };
    }

    private static JsonObject VersionEntry(string group, string version) => new()
    {
        ["groupVersion"] = $"{group}/{version}",
        ["version"] = version,
    };

    private static JsonArray Verbs(ResourceType type) => type == BuiltInResources.Namespaces
        ? new JsonArray("create", "delete", "get", "list", "patch", "update", "watch")
        : new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
}
