using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FastHook.KubeEmulator.Storage;

/// <summary>
/// Reads and writes the metadata fields of an object held as JSON.
/// </summary>
internal static class Metadata
{
    public static JsonObject Of(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = new JsonObject();
        obj["metadata"] = metadata;
        return metadata;
    }

    public static string? GetString(JsonObject obj, string field) => StringValue(Of(obj)[field]);

    public static string Name(JsonObject obj) => GetString(obj, "name") ?? "";

    public static string? Namespace(JsonObject obj) => GetString(obj, "namespace");

    public static string? Uid(JsonObject obj) => GetString(obj, "uid");

    public static string? ResourceVersion(JsonObject obj) => GetString(obj, "resourceVersion");

    public static bool IsDeleting(JsonObject obj) => Of(obj)["deletionTimestamp"] is not null;

    public static long? Generation(JsonObject obj) =>
        JsonValues.TryGetLong(Of(obj)["generation"], out var generation) ? generation : null;

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Of(obj)["labels"] is JsonObject node)
        {
            foreach (var (key, value) in node)
            {
                labels[key] = StringValue(value) ?? "";
            }
        }

        return labels;
    }

    public static List<string> Finalizers(JsonObject obj)
    {
        var finalizers = new List<string>();
        if (Of(obj)["finalizers"] is JsonArray array)
        {
            finalizers.AddRange(array.Select(StringValue).OfType<string>());
        }

        return finalizers;
    }

    public static void SetFinalizers(JsonObject obj, IReadOnlyCollection<string> finalizers)
    {
        if (finalizers.Count == 0)
        {
            Of(obj).Remove("finalizers");
            return;
        }

        Of(obj)["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]);
    }

    /// <summary>The owner references as (uid, whole reference) pairs, skipping references without a uid.</summary>
    public static List<(string Uid, JsonObject Reference)> OwnerReferences(JsonObject obj)
    {
        var owners = new List<(string, JsonObject)>();
        if (Of(obj)["ownerReferences"] is JsonArray array)
        {
            foreach (var reference in array.OfType<JsonObject>())
            {
                if (StringValue(reference["uid"]) is { Length: > 0 } uid)
                {
                    owners.Add((uid, reference));
                }
            }
        }

        return owners;
    }

    public static void SetOwnerReferences(JsonObject obj, IEnumerable<JsonObject> references)
    {
        var array = new JsonArray([.. references.Select(r => r.DeepClone())]);
        if (array.Count == 0)
        {
            Of(obj).Remove("ownerReferences");
            return;
        }

        Of(obj)["ownerReferences"] = array;
    }

    /// <summary>Formats a time as the API server does for metav1.Time: RFC 3339 in UTC, whole seconds.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string? StringValue(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
