using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FastHook.Api.Schema;

namespace FastHook.Api.Tests.Crds;

/// <summary>
/// Checks that the generator describes properties of every supported shape without changes to it, so that new
/// fields of the resource types reach the CRDs by running <c>make crds</c> alone.
/// </summary>
public sealed class SchemaGeneratorTests
{
    [Fact]
    public void Properties_UseCamelCaseNamesInOrdinalOrder()
    {
        var schema = SchemaGenerator.ForType(typeof(SampleSpec));

        Assert.Equal(["at", "counts", "filter", "items", "mode", "name", "raw", "renamed-field", "transform"], schema["properties"]!.AsObject().Select(entry => entry.Key));
    }

    [Fact]
    public void ReadOnlyProperty_IsLeftOut()
    {
        var schema = SchemaGenerator.ForType(typeof(SampleSpec));

        Assert.False(schema["properties"]!.AsObject().ContainsKey("computed"));
    }

    [Fact]
    public void Shapes_MapToStructuralTypes()
    {
        var properties = SchemaGenerator.ForType(typeof(SampleSpec))["properties"]!;

        Assert.Equal("string", properties["at"]!["type"]!.GetValue<string>());
        Assert.Equal("date-time", properties["at"]!["format"]!.GetValue<string>());
        Assert.Equal("object", properties["counts"]!["type"]!.GetValue<string>());
        Assert.Equal("integer", properties["counts"]!["additionalProperties"]!["type"]!.GetValue<string>());
        Assert.True(properties["filter"]!["x-kubernetes-preserve-unknown-fields"]!.GetValue<bool>());
        Assert.Null(properties["filter"]!["type"]);
        Assert.Equal("object", properties["transform"]!["type"]!.GetValue<string>());
        Assert.True(properties["transform"]!["x-kubernetes-preserve-unknown-fields"]!.GetValue<bool>());
        Assert.Equal("array", properties["items"]!["type"]!.GetValue<string>());
        Assert.Equal("object", properties["items"]!["items"]!["type"]!.GetValue<string>());
        Assert.Equal("byte", properties["raw"]!["format"]!.GetValue<string>());
        Assert.Equal("boolean", properties["renamed-field"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void StringEnum_ListsNamesAsWritten()
    {
        var mode = SchemaGenerator.ForType(typeof(SampleSpec))["properties"]!["mode"]!;

        Assert.Equal("string", mode["type"]!.GetValue<string>());
        Assert.Equal(["Fast", "Careful"], mode["enum"]!.AsArray().Select(value => value!.GetValue<string>()));
    }

    [Fact]
    public void Attributes_BecomeKeywords()
    {
        var schema = SchemaGenerator.ForType(typeof(SampleSpec));
        var name = schema["properties"]!["name"]!;
        var items = schema["properties"]!["items"]!;
        var item = items["items"]!["properties"]!;

        Assert.Equal(["name"], schema["required"]!.AsArray().Select(value => value!.GetValue<string>()));
        Assert.Equal("A sample name.", name["description"]!.GetValue<string>());
        Assert.Equal(1, name["minLength"]!.GetValue<int>());
        Assert.Equal(8, name["maxLength"]!.GetValue<int>());
        Assert.Equal("^[a-z]+$", name["pattern"]!.GetValue<string>());
        Assert.Equal("map", items["x-kubernetes-list-type"]!.GetValue<string>());
        Assert.Equal(2, items["maxItems"]!.GetValue<int>());
        Assert.Equal(["a", "b"], item["tags"]!["items"]!["enum"]!.AsArray().Select(value => value!.GetValue<string>()));
        Assert.Equal(["a"], item["tags"]!["default"]!.AsArray().Select(value => value!.GetValue<string>()));
        Assert.Equal(CrdDurationAttribute.Pattern, item["every"]!["pattern"]!.GetValue<string>());
        Assert.Equal(CrdDurationAttribute.MaximumRule, item["every"]!["x-kubernetes-validations"]![0]!["rule"]!.GetValue<string>());
        Assert.Equal(1, item["weight"]!["minimum"]!.GetValue<int>());
        Assert.Equal(5, item["weight"]!["maximum"]!.GetValue<int>());
        Assert.Equal("self.weight < 5 || has(self.every)", items["items"]!["x-kubernetes-validations"]![0]!["rule"]!.GetValue<string>());
        Assert.Equal(".every", items["items"]!["x-kubernetes-validations"]![0]!["fieldPath"]!.GetValue<string>());
    }

    [Fact]
    public void Keywords_FollowFixedOrder()
    {
        var name = SchemaGenerator.ForType(typeof(SampleSpec))["properties"]!["name"]!.AsObject();

        Assert.Equal(["description", "type", "pattern", "minLength", "maxLength"], name.Select(entry => entry.Key));
    }

    [Fact]
    public void RecursiveType_IsRejectedWithPath()
    {
        var exception = Assert.Throws<NotSupportedException>(() => SchemaGenerator.ForType(typeof(Node)));

        Assert.Contains("Node.next", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimeSpan_IsRejectedWithFix()
    {
        var exception = Assert.Throws<NotSupportedException>(() => SchemaGenerator.ForType(typeof(WithTimeSpan)));

        Assert.Contains("WithTimeSpan.delay", exception.Message, StringComparison.Ordinal);
        Assert.Contains("[CrdDuration]", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UntranslatedValidationAttribute_IsRejected()
    {
        var exception = Assert.Throws<NotSupportedException>(() => SchemaGenerator.ForType(typeof(WithEmail)));

        Assert.Contains("EmailAddressAttribute", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResourceTypes_AreTheThreeKinds()
    {
        var names = CrdGenerator.ResourceTypes().Select(type => type.Name);

        Assert.Equal(["Connection", "Destination", "WebhookSource"], names);
    }

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public enum SampleMode
    {
        Fast,
        Careful,
    }

    public sealed class SampleSpec
    {
        [Description("A sample name.")]
        [Required]
        [RegularExpression("^[a-z]+$")]
        [MaxLength(8)]
        public string? Name { get; set; }

        [MaxLength(2)]
        [CrdListMap("every")]
        public IList<SampleItem>? Items { get; set; }

        public IDictionary<string, int>? Counts { get; set; }

        public JsonNode? Filter { get; set; }

        public JsonObject? Transform { get; set; }

        public DateTimeOffset? At { get; set; }

        public SampleMode? Mode { get; set; }

        public byte[]? Raw { get; set; }

        [JsonPropertyName("renamed-field")]
        public bool? Renamed { get; set; }

        public string Computed => Name ?? "";
    }

    [CrdValidation("self.weight < 5 || has(self.every)", "weight 5 needs every", FieldPath = ".every")]
    public sealed class SampleItem
    {
        [CrdEnum("a", "b")]
        [CrdDefault(new[] { "a" })]
        public IList<string>? Tags { get; set; }

        [Required]
        [CrdDuration]
        public string? Every { get; set; }

        [Range(1, 5)]
        public int Weight { get; set; }
    }

    public sealed class Node
    {
        public Node? Next { get; set; }
    }

    public sealed class WithTimeSpan
    {
        public TimeSpan Delay { get; set; }
    }

    public sealed class WithEmail
    {
        [EmailAddress]
        public string? Contact { get; set; }
    }
}
