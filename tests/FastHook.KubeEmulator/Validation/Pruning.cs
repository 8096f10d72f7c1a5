using System.Text.Json.Nodes;

namespace FastHook.KubeEmulator.Validation;

/// <summary>
/// Removes fields a structural schema does not declare, as the API server does for custom resources.
/// </summary>
internal static class Pruning
{
    private static HashSet<string> TypeMetaAndMetadata { get; } = ["apiVersion", "kind", "metadata"];

    public static void PruneObject(JsonObject obj, StructuralSchema schema, bool isRoot)
    {
        var keepTypeMeta = isRoot || schema.EmbeddedResource;
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            if (keepTypeMeta && TypeMetaAndMetadata.Contains(key))
            {
                continue;
            }

            var child = ChildSchema(schema, key);
            if (child is null)
            {
                if (!schema.PreserveUnknownFields)
                {
                    obj.Remove(key);
                }

                continue;
            }

            // A null for a field that is not nullable is dropped, so a default can take its place.
            if (obj[key] is null && !child.Nullable)
            {
                obj.Remove(key);
                continue;
            }

            Prune(obj[key], child);
        }
    }

    private static void Prune(JsonNode? node, StructuralSchema schema)
    {
        switch (node)
        {
            case JsonObject obj:
                PruneObject(obj, schema, isRoot: false);
                break;
            case JsonArray array when schema.Items is not null:
                foreach (var item in array)
                {
                    Prune(item, schema.Items);
                }

                break;
        }
    }

    private static StructuralSchema? ChildSchema(StructuralSchema schema, string key)
    {
        if (schema.Properties.TryGetValue(key, out var property))
        {
            return property;
        }

        return schema.AdditionalProperties;
    }
}
