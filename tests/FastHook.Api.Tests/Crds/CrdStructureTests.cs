using System.Text.Json.Nodes;
using FastHook.Api.Schema;

namespace FastHook.Api.Tests.Crds;

public sealed class CrdStructureTests
{
    private static readonly Dictionary<string, JsonObject> Definitions =
        CrdGenerator.GenerateFiles().ToDictionary(file => file.Definition["spec"]!["names"]!["kind"]!.GetValue<string>(), file => file.Definition);

    [Theory]
    [InlineData("WebhookSource", "webhooksources", "whs")]
    [InlineData("Destination", "destinations", "dest")]
    [InlineData("Connection", "connections", "conn")]
    public void Definition_HasNamesScopeAndVersion(string kind, string plural, string shortName)
    {
        var definition = Definitions[kind];
        var spec = definition["spec"]!;
        var version = spec["versions"]!.AsArray().Single()!;

        Assert.Equal($"{plural}.fasthook.io", definition["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("fasthook.io", spec["group"]!.GetValue<string>());
        Assert.Equal("Namespaced", spec["scope"]!.GetValue<string>());
        Assert.Equal(plural, spec["names"]!["plural"]!.GetValue<string>());
        Assert.Equal(kind + "List", spec["names"]!["listKind"]!.GetValue<string>());
        Assert.Equal([shortName], spec["names"]!["shortNames"]!.AsArray().Select(name => name!.GetValue<string>()));
        Assert.Equal(["fasthook"], spec["names"]!["categories"]!.AsArray().Select(name => name!.GetValue<string>()));
        Assert.Equal("v1alpha1", version["name"]!.GetValue<string>());
        Assert.True(version["served"]!.GetValue<bool>());
        Assert.True(version["storage"]!.GetValue<bool>());
        Assert.NotNull(version["subresources"]!["status"]);
    }

    [Theory]
    [InlineData("WebhookSource", ".status.url")]
    [InlineData("Destination", ".spec.url")]
    [InlineData("Connection", ".status.deadLettered")]
    public void PrinterColumns_ShowReadyTargetOrCountersAndAge(string kind, string expectedPath)
    {
        var columns = Definitions[kind]["spec"]!["versions"]![0]!["additionalPrinterColumns"]!.AsArray().Select(column => column!.AsObject()).ToList();
        var alwaysShown = columns.Where(column => column["priority"] is null).ToList();

        Assert.Equal("Ready", alwaysShown[0]["name"]!.GetValue<string>());
        Assert.Equal(".status.conditions[?(@.type==\"Ready\")].status", alwaysShown[0]["jsonPath"]!.GetValue<string>());
        Assert.Contains(alwaysShown, column => column["jsonPath"]!.GetValue<string>() == expectedPath);
        Assert.Equal("Age", columns[^1]["name"]!.GetValue<string>());
        Assert.Equal("date", columns[^1]["type"]!.GetValue<string>());
        Assert.Contains(columns, column => column["priority"]?.GetValue<int>() == 1);
    }

    [Theory]
    [InlineData("WebhookSource")]
    [InlineData("Destination")]
    [InlineData("Connection")]
    public void Status_HasObservedGenerationAndConditions(string kind)
    {
        var status = RootSchema(kind)["properties"]!["status"]!;
        var conditions = status["properties"]!["conditions"]!;
        var condition = conditions["items"]!["properties"]!;

        Assert.Equal("integer", status["properties"]!["observedGeneration"]!["type"]!.GetValue<string>());
        Assert.Equal("map", conditions["x-kubernetes-list-type"]!.GetValue<string>());
        foreach (var field in new[] { "type", "status", "reason", "message", "lastTransitionTime", "observedGeneration" })
        {
            Assert.True(condition.AsObject().ContainsKey(field), $"conditions[] of {kind} has no {field}");
        }

        Assert.Equal("date-time", condition["lastTransitionTime"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public void ConnectionStatus_HasCountersAndReplays()
    {
        var status = RootSchema("Connection")["properties"]!["status"]!["properties"]!.AsObject();
        var replay = status["replays"]!["items"]!["properties"]!.AsObject();

        foreach (var counter in new[] { "delivered", "failed", "deadLettered", "pending" })
        {
            Assert.Equal("integer", status[counter]?["type"]?.GetValue<string>());
        }

        foreach (var field in new[] { "name", "phase", "matched", "enqueued", "startedAt", "completedAt", "message" })
        {
            Assert.True(replay.ContainsKey(field), $"status.replays[] has no {field}");
        }

        Assert.Equal("map", status["replays"]!["x-kubernetes-list-type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("WebhookSource")]
    [InlineData("Destination")]
    [InlineData("Connection")]
    public void Schema_IsStructural(string kind)
    {
        var problems = new List<string>();

        CheckStructural(RootSchema(kind), kind, problems);

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("WebhookSource")]
    [InlineData("Destination")]
    [InlineData("Connection")]
    public void Defaults_FitTheirOwnSchema(string kind)
    {
        var validator = CrdValidator.ForGeneratedCrds();
        var problems = new List<string>();

        foreach (var (path, schema) in Nodes(RootSchema(kind), kind).Where(node => node.Schema.ContainsKey("default")))
        {
            problems.AddRange(validator.CheckValue(schema, schema["default"]!).Select(error => $"{path}: default {schema["default"]!.ToJsonString()}: {error}"));
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void CelRules_CompileWithCelPackage()
    {
        var cel = new CelRules();
        var rules = Definitions.Keys
            .SelectMany(kind => Nodes(RootSchema(kind), kind))
            .SelectMany(node => node.Schema["x-kubernetes-validations"]?.AsArray() ?? [])
            .Select(rule => rule!["rule"]!.GetValue<string>())
            .Distinct()
            .ToList();

        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            var exception = Record.Exception(() => cel.Compile(rule));
            Assert.True(exception is null, $"{rule} does not compile: {exception?.Message}");
        }
    }

    private static JsonObject RootSchema(string kind) => Definitions[kind]["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();

    /// <summary>Lists every schema node with a path such as "Connection.spec.retry.retryOn[]".</summary>
    private static IEnumerable<(string Path, JsonObject Schema)> Nodes(JsonObject schema, string path)
    {
        yield return (path, schema);

        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            foreach (var node in Nodes(property!.AsObject(), $"{path}.{name}"))
            {
                yield return node;
            }
        }

        if (schema["items"] is JsonObject items)
        {
            foreach (var node in Nodes(items, path + "[]"))
            {
                yield return node;
            }
        }

        if (schema["additionalProperties"] is JsonObject values)
        {
            foreach (var node in Nodes(values, path + "{}"))
            {
                yield return node;
            }
        }
    }

    /// <summary>
    /// Collects violations of the rules Kubernetes sets for structural schemas. Every node has a type or keeps
    /// unknown fields, and no node has both properties and additionalProperties. No $ref or other composition is
    /// used, and the keys of a list-map are required properties of its items.
    /// </summary>
    private static void CheckStructural(JsonObject root, string kind, List<string> problems)
    {
        string[] forbidden = ["$ref", "allOf", "anyOf", "oneOf", "not", "definitions", "$defs", "dependencies", "additionalItems", "patternProperties"];
        foreach (var (path, schema) in Nodes(root, kind))
        {
            if (!schema.ContainsKey("type") && schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() != true)
            {
                problems.Add($"{path} has no type");
            }

            if (schema.ContainsKey("properties") && schema.ContainsKey("additionalProperties"))
            {
                problems.Add($"{path} has both properties and additionalProperties");
            }

            problems.AddRange(forbidden.Where(schema.ContainsKey).Select(keyword => $"{path} uses {keyword}"));

            if (schema["x-kubernetes-list-type"]?.GetValue<string>() == "map")
            {
                var required = schema["items"]?["required"]?.AsArray().Select(name => name!.GetValue<string>()).ToHashSet() ?? [];
                foreach (var key in schema["x-kubernetes-list-map-keys"]!.AsArray().Select(key => key!.GetValue<string>()))
                {
                    if (!required.Contains(key))
                    {
                        problems.Add($"{path} is a list-map keyed by {key}, which its items do not require");
                    }
                }
            }
        }
    }
}
