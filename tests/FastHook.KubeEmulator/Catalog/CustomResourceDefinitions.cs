using System.Text.Json;
using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Http;
using FastHook.KubeEmulator.Storage;
using FastHook.KubeEmulator.Validation;

namespace FastHook.KubeEmulator.Catalog;

/// <summary>
/// Turns an apiextensions.k8s.io/v1 CustomResourceDefinition into a served type, and writes the status the
/// API server's CRD controllers would set once the names are accepted.
/// </summary>
internal static class CustomResourceDefinitions
{
    /// <summary>Checks the CRD and defaults its names in place. Throws a 422 ApiException listing every problem.</summary>
    public static ResourceType ToResourceType(JsonObject crd, CelRuleCompiler compiler)
    {
        var causes = new List<StatusCause>();
        var name = Metadata.Name(crd);
        var spec = crd["spec"] as JsonObject ?? new JsonObject();
        var names = spec["names"] as JsonObject ?? new JsonObject();

        var group = Text(spec, "group");
        var plural = Text(names, "plural");
        var kind = Text(names, "kind");
        var scope = Text(spec, "scope");
        RequireText(group, "spec.group", causes);
        RequireText(plural, "spec.names.plural", causes);
        RequireText(kind, "spec.names.kind", causes);

        if (scope is not ("Namespaced" or "Cluster"))
        {
            causes.Add(new StatusCause("FieldValueNotSupported",
                $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\"", "spec.scope"));
        }

        if (group is not null && plural is not null && name != $"{plural}.{group}")
        {
            causes.Add(new StatusCause("FieldValueInvalid",
                $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group, that is \"{plural}.{group}\"",
                "metadata.name"));
        }

        var singular = Text(names, "singular") ?? kind?.ToLowerInvariant() ?? "";
        names["singular"] = singular;
        names["listKind"] = Text(names, "listKind") ?? kind + "List";

        var (versions, schemas, hasStatus, selectableFields) = ReadVersions(spec, compiler, causes);
        if (causes.Count > 0)
        {
            throw ApiErrors.Invalid(BuiltInResources.CustomResourceDefinitions, name, causes);
        }

        return new ResourceType
        {
            Group = group!,
            Versions = versions,
            Plural = plural!,
            Singular = singular,
            Kind = kind!,
            Namespaced = scope == "Namespaced",
            ShortNames = Strings(names["shortNames"]),
            HasStatusSubresource = hasStatus,
            TracksGeneration = true,
            IsCustom = true,
            SelectableFields = selectableFields,
            Schemas = schemas,
        };
    }

    /// <summary>Sets the status a healthy CRD has once the API server serves it.</summary>
    public static void SetEstablishedStatus(JsonObject crd, DateTimeOffset now)
    {
        var spec = crd["spec"] as JsonObject ?? new JsonObject();
        var storage = (spec["versions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(v => v["storage"] is JsonValue s && s.GetValueKind() == JsonValueKind.True);
        var time = Metadata.FormatTime(now);

        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = spec["names"]?.DeepClone(),
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", time),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", time)),
            ["storedVersions"] = new JsonArray(Text(storage, "name") is { } version ? JsonValue.Create(version) : null),
        };
    }

    private static (List<string> Versions, Dictionary<string, CustomResourceSchema> Schemas, bool HasStatus, List<string> SelectableFields)
        ReadVersions(JsonObject spec, CelRuleCompiler compiler, List<StatusCause> causes)
    {
        var served = new List<string>();
        var schemas = new Dictionary<string, CustomResourceSchema>(StringComparer.Ordinal);
        var hasStatus = false;
        var selectableFields = new List<string>();
        string? storageVersion = null;

        var versions = spec["versions"] as JsonArray ?? [];
        if (versions.Count == 0)
        {
            causes.Add(new StatusCause("FieldValueRequired", "Required value: at least one version is required", "spec.versions"));
        }

        for (var i = 0; i < versions.Count; i++)
        {
            var path = $"spec.versions[{i}]";
            if (versions[i] is not JsonObject version || Text(version, "name") is not { } versionName)
            {
                causes.Add(new StatusCause("FieldValueRequired", "Required value", path + ".name"));
                continue;
            }

            if (Flag(version, "storage"))
            {
                if (storageVersion is not null)
                {
                    causes.Add(new StatusCause("FieldValueInvalid", "Invalid value: must have exactly one version marked as storage version", "spec.versions"));
                }

                storageVersion = versionName;
            }

            if (Flag(version, "served"))
            {
                served.Add(versionName);
            }

            hasStatus |= version["subresources"]?["status"] is JsonObject;
            selectableFields.AddRange((version["selectableFields"] as JsonArray ?? [])
                .Select(f => Text(f as JsonObject, "jsonPath")?.TrimStart('.'))
                .OfType<string>());

            if (version["schema"]?["openAPIV3Schema"] is not JsonObject schemaNode)
            {
                causes.Add(new StatusCause("FieldValueRequired", "Required value: schemas are required", path + ".schema.openAPIV3Schema"));
                continue;
            }

            try
            {
                var root = StructuralSchema.Parse(schemaNode, path + ".schema.openAPIV3Schema", compiler);
                schemas[versionName] = new CustomResourceSchema(root, compiler);
            }
            catch (SchemaException e)
            {
                causes.Add(new StatusCause("FieldValueInvalid", "Invalid value: " + e.Message, e.Path));
            }
        }

        if (storageVersion is null && versions.Count > 0)
        {
            causes.Add(new StatusCause("FieldValueInvalid", "Invalid value: must have exactly one version marked as storage version", "spec.versions"));
        }

        // The storage version goes first, so it is what the emulator stores and prefers in discovery.
        if (storageVersion is not null && served.Remove(storageVersion))
        {
            served.Insert(0, storageVersion);
        }

        if (served.Count == 0 && versions.Count > 0)
        {
            causes.Add(new StatusCause("FieldValueInvalid", "Invalid value: must have at least one served version", "spec.versions"));
        }

        return (served, schemas, hasStatus, selectableFields);
    }

    private static JsonObject Condition(string type, string reason, string message, string time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static void RequireText(string? value, string field, List<StatusCause> causes)
    {
        if (string.IsNullOrEmpty(value))
        {
            causes.Add(new StatusCause("FieldValueRequired", "Required value", field));
        }
    }

    private static string? Text(JsonObject? node, string key) => Metadata.StringValue(node?[key]);

    private static bool Flag(JsonObject node, string key) =>
        node[key] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(Metadata.StringValue).OfType<string>()] : [];
}
