using System.Text.Json;
using System.Text.Json.Nodes;
using FastHook.Api.Schema;
using Json.Pointer;
using Json.Schema;

namespace FastHook.Api.Tests.Crds;

/// <summary>
/// One reason a resource does not fit its CRD: the field, written as the API server writes it
/// ("spec.retry.maxAttempts", "spec.replays[0].from"), and the message.
/// </summary>
internal sealed record SchemaError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>
/// Checks resources against CustomResourceDefinitions in the order the API server does on create and update:
/// it fills in defaults, checks the OpenAPI schema, then list-map keys and the CEL rules.
/// </summary>
/// <remarks>
/// The OpenAPI schema is converted to JSON Schema (draft 2020-12) and checked with JsonSchema.Net. Objects with
/// declared properties get <c>additionalProperties: false</c>, because kubectl requests strict field validation by
/// default, so the API server rejects unknown fields instead of dropping them.
/// </remarks>
internal sealed class CrdValidator
{
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly Dictionary<string, (JsonObject OpenApi, JsonSchema JsonSchema)> _kinds = new(StringComparer.Ordinal);
    private readonly CelRules _cel = new();
    private readonly Lock _celLock = new();

    public CrdValidator(IEnumerable<JsonObject> definitions)
    {
        foreach (var definition in definitions)
        {
            var spec = definition["spec"]!;
            var version = spec["versions"]![0]!;
            var apiVersion = $"{spec["group"]}/{version["name"]}";
            var openApi = version["schema"]!["openAPIV3Schema"]!.AsObject();
            _kinds[$"{apiVersion} {spec["names"]!["kind"]}"] = (openApi, JsonSchema.FromText(ToJsonSchema(openApi).ToJsonString()));
        }
    }

    /// <summary>A validator for the CRDs the current types generate.</summary>
    public static CrdValidator ForGeneratedCrds() => new(CrdGenerator.GenerateFiles().Select(file => file.Definition));

    /// <summary>Returns whether a CRD describes the resource's apiVersion and kind.</summary>
    public bool Covers(JsonObject resource) => _kinds.ContainsKey(KeyOf(resource));

    /// <summary>
    /// Returns every error of <paramref name="resource"/>; with <paramref name="previous"/>, the update from that
    /// version, so that transition rules (those that read <c>oldSelf</c>) are checked too.
    /// </summary>
    public IReadOnlyList<SchemaError> Validate(JsonObject resource, JsonObject? previous = null)
    {
        if (!_kinds.TryGetValue(KeyOf(resource), out var crd))
        {
            throw new ArgumentException($"No CRD describes {KeyOf(resource)}.", nameof(resource));
        }

        var defaulted = resource.DeepClone().AsObject();
        ApplyDefaults(crd.OpenApi, defaulted);

        var errors = new List<SchemaError>();
        AddSchemaErrors(crd.JsonSchema, defaulted, errors);
        CheckRules(crd.OpenApi, defaulted, previous, "", errors);
        return errors;
    }

    /// <summary>
    /// Returns the errors of <paramref name="value"/> against one schema node of a CRD and the nodes below it,
    /// with paths that start at "value".
    /// </summary>
    public IReadOnlyList<SchemaError> CheckValue(JsonObject schema, JsonNode value)
    {
        var wrapper = ToJsonSchema(new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["value"] = schema.DeepClone() },
        });

        var errors = new List<SchemaError>();
        AddSchemaErrors(JsonSchema.FromText(wrapper.ToJsonString()), new JsonObject { ["value"] = value.DeepClone() }, errors);
        CheckRules(schema, value, null, "value", errors);
        return errors;
    }

    private static string KeyOf(JsonObject resource) => $"{resource["apiVersion"]} {resource["kind"]}";

    /// <summary>Converts an OpenAPI v3 structural schema to JSON Schema, leaving out the Kubernetes extensions.</summary>
    private static JsonObject ToJsonSchema(JsonObject openApi)
    {
        var schema = openApi.DeepClone().AsObject();
        StripExtensions(schema);
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        return schema;
    }

    private static void StripExtensions(JsonObject schema)
    {
        var preservesUnknownFields = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        foreach (var keyword in schema.Select(entry => entry.Key).Where(key => key.StartsWith("x-kubernetes-", StringComparison.Ordinal)).ToList())
        {
            schema.Remove(keyword);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (_, property) in properties)
            {
                StripExtensions(property!.AsObject());
            }

            if (!preservesUnknownFields && !schema.ContainsKey("additionalProperties"))
            {
                schema["additionalProperties"] = false;
            }
        }

        if (schema["items"] is JsonObject items)
        {
            StripExtensions(items);
        }

        if (schema["additionalProperties"] is JsonObject values)
        {
            StripExtensions(values);
        }
    }

    /// <summary>Sets every missing property that has a default, in the objects that are present, as the API server does.</summary>
    private static void ApplyDefaults(JsonObject schema, JsonNode? value)
    {
        switch (value)
        {
            case JsonObject map when schema["properties"] is JsonObject properties:
                foreach (var (name, property) in properties)
                {
                    if (!map.ContainsKey(name) && property!["default"] is { } fallback)
                    {
                        map[name] = fallback.DeepClone();
                    }

                    if (map[name] is { } child)
                    {
                        ApplyDefaults(property!.AsObject(), child);
                    }
                }

                break;
            case JsonObject map when schema["additionalProperties"] is JsonObject values:
                foreach (var (_, child) in map)
                {
                    ApplyDefaults(values, child);
                }

                break;
            case JsonArray list when schema["items"] is JsonObject items:
                foreach (var child in list)
                {
                    ApplyDefaults(items, child);
                }

                break;
        }
    }

    private static void AddSchemaErrors(JsonSchema schema, JsonObject resource, List<SchemaError> errors)
    {
        var results = schema.Evaluate(JsonSerializer.SerializeToElement(resource), Options);
        foreach (var detail in results.Details ?? [])
        {
            foreach (var (keyword, message) in detail.Errors ?? [])
            {
                var path = PathOf(detail.InstanceLocation);
                if (keyword == "required")
                {
                    errors.AddRange(MissingProperties(message).Select(name => new SchemaError(Join(path, name), "Required value")));
                }
                else if (detail.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal))
                {
                    errors.Add(new SchemaError(path, "field not declared in schema"));
                }
                else
                {
                    errors.Add(new SchemaError(path, $"{keyword}: {message}"));
                }
            }
        }
    }

    /// <summary>
    /// Reads the property names from JsonSchema.Net's message <c>Required properties ["a","b"] are not present</c>.
    /// </summary>
    private static IEnumerable<string> MissingProperties(string message)
    {
        var start = message.IndexOf('[', StringComparison.Ordinal);
        var end = message.LastIndexOf(']');
        return start >= 0 && end > start
            ? JsonSerializer.Deserialize<string[]>(message[start..(end + 1)]) ?? []
            : [message];
    }

    private static string PathOf(JsonPointer pointer)
    {
        var path = "";
        for (var index = 0; index < pointer.SegmentCount; index++)
        {
            var segment = pointer[index].ToString();
            path = int.TryParse(segment, out _) ? $"{path}[{segment}]" : Join(path, segment);
        }

        return path;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>
    /// Checks list-map keys and CEL rules at <paramref name="value"/> and below it. <paramref name="old"/> is the
    /// value at the same place before the update, when the API server can correlate one: the same property of an
    /// object, or the item with the same keys of a list-map.
    /// </summary>
    private void CheckRules(JsonObject schema, JsonNode? value, JsonNode? old, string path, List<SchemaError> errors)
    {
        if (value is null)
        {
            return;
        }

        foreach (var rule in (schema["x-kubernetes-validations"] as JsonArray ?? []).Select(rule => rule!.AsObject()))
        {
            var text = rule["rule"]!.GetValue<string>();
            if (text.Contains("oldSelf", StringComparison.Ordinal) && old is null)
            {
                continue;
            }

            string? failure;
            lock (_celLock)
            {
                failure = _cel.Check(text, value, old);
            }

            if (failure is not null)
            {
                var field = path + (rule["fieldPath"]?.GetValue<string>() ?? "");
                var message = rule["message"]?.GetValue<string>() ?? $"failed rule: {text}";
                errors.Add(new SchemaError(field, failure.Length == 0 ? message : $"{message} ({failure})"));
            }
        }

        switch (value)
        {
            case JsonObject map when schema["properties"] is JsonObject properties:
                foreach (var (name, property) in properties)
                {
                    CheckRules(property!.AsObject(), map[name], (old as JsonObject)?[name], Join(path, name), errors);
                }

                break;
            case JsonObject map when schema["additionalProperties"] is JsonObject values:
                foreach (var (name, child) in map)
                {
                    CheckRules(values, child, (old as JsonObject)?[name], $"{path}[{name}]", errors);
                }

                break;
            case JsonArray list when schema["items"] is JsonObject items:
                var keys = schema["x-kubernetes-list-type"]?.GetValue<string>() == "map"
                    ? schema["x-kubernetes-list-map-keys"]!.AsArray().Select(key => key!.GetValue<string>()).ToList()
                    : null;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var index = 0; index < list.Count; index++)
                {
                    var itemPath = $"{path}[{index}]";
                    var oldItem = keys is null ? null : (old as JsonArray)?.FirstOrDefault(candidate => KeyOfItem(candidate, keys) == KeyOfItem(list[index], keys));
                    if (keys is not null && !seen.Add(KeyOfItem(list[index], keys)))
                    {
                        errors.Add(new SchemaError(itemPath, $"Duplicate value: {KeyOfItem(list[index], keys)}"));
                    }

                    CheckRules(items, list[index], oldItem, itemPath, errors);
                }

                break;
        }
    }

    private static string KeyOfItem(JsonNode? item, List<string> keys) =>
        string.Join(",", keys.Select(key => $"{key}={item?[key]?.ToJsonString()}"));
}
