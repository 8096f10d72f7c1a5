using System.Text.Json.Nodes;

namespace FastHook.KubeEmulator.Validation;

/// <summary>
/// Fills in the schema's default values for missing fields, recursing into defaulted values too.
/// </summary>
internal static class Defaulting
{
    public static void Apply(JsonNode? node, StructuralSchema schema, bool isRoot = false)
    {
        switch (node)
        {
            case JsonObject obj:
                ApplyToObject(obj, schema, isRoot);
                break;
            case JsonArray array when schema.Items is not null:
                foreach (var item in array)
                {
                    Apply(item, schema.Items);
                }

                break;
        }
    }

    private static void ApplyToObject(JsonObject obj, StructuralSchema schema, bool isRoot)
    {
        foreach (var (name, property) in schema.Properties)
        {
            if (isRoot && name == "metadata")
            {
                continue;
            }

            if (property.Default is not null && !obj.ContainsKey(name))
            {
                obj[name] = property.Default.DeepClone();
            }

            if (obj[name] is { } child)
            {
                Apply(child, property);
            }
        }

        if (schema.AdditionalProperties is not null)
        {
            foreach (var (name, child) in obj.ToList())
            {
                if (!schema.Properties.ContainsKey(name))
                {
                    Apply(child, schema.AdditionalProperties);
                }
            }
        }
    }
}
