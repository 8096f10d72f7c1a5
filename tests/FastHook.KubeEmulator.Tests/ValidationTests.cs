using System.Net;
using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace FastHook.KubeEmulator.Tests;

public sealed class ValidationTests
{
    private static TestResource WithSpec(string name, Action<JsonObject> change)
    {
        var resource = TestResource.Connection(name);
        change(resource.Spec!);
        return resource;
    }

    private static async Task<V1StatusCause> SingleCauseAsync(KubeApiEmulator api, TestResource resource)
    {
        var (code, status) = await ApiAssert.FailsAsync(() => new Connections(api.Client).CreateAsync(resource));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("Connection", status.Details.Kind);
        Assert.Equal("fasthook.io", status.Details.Group);
        return Assert.Single(status.Details.Causes);
    }

    [Fact]
    public async Task Schema_RejectsWrongType()
    {
        await using var api = await Emulator.StartWithCrdAsync();

        var cause = await SingleCauseAsync(api, WithSpec("c1", spec => spec["retry"] = new JsonObject { ["maxAttempts"] = "ten" }));

        Assert.Equal("FieldValueTypeInvalid", cause.Reason);
        Assert.Equal("spec.retry.maxAttempts", cause.Field);
    }

    [Fact]
    public async Task Schema_RejectsMissingRequiredField()
    {
        await using var api = await Emulator.StartWithCrdAsync();

        var cause = await SingleCauseAsync(api, WithSpec("c1", spec => spec.Remove("destinationRef")));

        Assert.Equal("FieldValueRequired", cause.Reason);
        Assert.Equal("spec.destinationRef", cause.Field);
    }

    [Fact]
    public async Task Schema_RejectsValueOutsideEnum()
    {
        await using var api = await Emulator.StartWithCrdAsync();

        var cause = await SingleCauseAsync(api, WithSpec("c1", spec => spec["retry"] = new JsonObject { ["strategy"] = "random" }));

        Assert.Equal("FieldValueNotSupported", cause.Reason);
        Assert.Equal("spec.retry.strategy", cause.Field);
        Assert.Contains("\"exponential\"", cause.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maxAttempts", 0, "FieldValueInvalid")]
    [InlineData("maxAttempts", 101, "FieldValueInvalid")]
    [InlineData("maxAttempts", 3000000000, "FieldValueInvalid")]
    public async Task Schema_RejectsNumberOutsideBounds(string field, long value, string reason)
    {
        await using var api = await Emulator.StartWithCrdAsync();

        var (code, status) = await ApiAssert.FailsAsync(() => new Connections(api.Client).CreateAsync(
            WithSpec("c1", spec => spec["retry"] = new JsonObject { [field] = value })));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.All(status.Details.Causes, c => Assert.Equal(reason, c.Reason));
        Assert.All(status.Details.Causes, c => Assert.Equal("spec.retry." + field, c.Field));
    }

    [Fact]
    public async Task Schema_RejectsPatternMismatch()
    {
        await using var api = await Emulator.StartWithCrdAsync();

        var cause = await SingleCauseAsync(api, WithSpec("c1", spec => spec["retry"] = new JsonObject { ["initialDelay"] = "soon" }));

        Assert.Equal("FieldValueInvalid", cause.Reason);
        Assert.Equal("spec.retry.initialDelay", cause.Field);
    }

    [Fact]
    public async Task Schema_RejectsLengthAndItemLimits()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var resource = WithSpec("c1", spec =>
        {
            spec["sourceRef"] = new JsonObject { ["name"] = new string('a', 64) };
            spec["replays"] = new JsonArray(
                new JsonObject { ["name"] = "r1" }, new JsonObject { ["name"] = "r2" },
                new JsonObject { ["name"] = "r3" }, new JsonObject { ["name"] = "r4" });
        });

        var (_, status) = await ApiAssert.FailsAsync(() => new Connections(api.Client).CreateAsync(resource));

        Assert.Contains(status.Details.Causes, c => c.Reason == "FieldValueTooLong" && c.Field == "spec.sourceRef.name");
        Assert.Contains(status.Details.Causes, c => c.Reason == "FieldValueTooMany" && c.Field == "spec.replays");
    }

    [Fact]
    public async Task Schema_RejectsDuplicateListMapKey()
    {
        await using var api = await Emulator.StartWithCrdAsync();

        var cause = await SingleCauseAsync(api, WithSpec("c1", spec => spec["replays"] = new JsonArray(
            new JsonObject { ["name"] = "r1" }, new JsonObject { ["name"] = "r1" })));

        Assert.Equal("FieldValueDuplicate", cause.Reason);
        Assert.Equal("spec.replays[1]", cause.Field);
    }

    [Fact]
    public async Task Schema_RejectsInvalidDateTimeFormat()
    {
        await using var api = await Emulator.StartWithCrdAsync();

        var cause = await SingleCauseAsync(api, WithSpec("c1", spec => spec["replays"] = new JsonArray(
            new JsonObject { ["name"] = "r1", ["from"] = "yesterday" })));

        Assert.Equal("spec.replays[0].from", cause.Field);
    }

    [Fact]
    public async Task Schema_PrunesUnknownFieldsExceptPreserved()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var resource = WithSpec("c1", spec =>
        {
            spec["unknown"] = "dropped";
            spec["sourceRef"]!["extra"] = "dropped";
            spec["filter"] = new JsonObject { ["anything"] = new JsonObject { ["goes"] = true } };
        });

        var created = await new Connections(api.Client).CreateAsync(resource);

        Assert.Null(created.Spec!["unknown"]);
        Assert.Null(created.Spec["sourceRef"]!["extra"]);
        Assert.True(created.Spec["filter"]!["anything"]!["goes"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Schema_AppliesDefaults()
    {
        await using var api = await Emulator.StartWithCrdAsync();

        var created = await new Connections(api.Client).CreateAsync(TestResource.Connection("c1"));

        Assert.False(created.Spec!["paused"]!.GetValue<bool>());
        Assert.Equal("exponential", created.Spec["retry"]!["strategy"]!.GetValue<string>());
        Assert.Equal(10, created.Spec["retry"]!["maxAttempts"]!.GetValue<int>());
        Assert.Equal("1s", created.Spec["retry"]!["initialDelay"]!.GetValue<string>());
    }

    [Fact]
    public async Task Schema_InvalidUpdateLeavesObjectUnchanged()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var created = await connections.CreateAsync(TestResource.Connection("c1"));

        created.Spec!["retry"]!["strategy"] = "random";
        var (code, _) = await ApiAssert.FailsAsync(() => connections.ReplaceAsync(created));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        var stored = await connections.GetAsync("c1");
        Assert.Equal("exponential", stored.Spec!["retry"]!["strategy"]!.GetValue<string>());
        Assert.Equal(created.Metadata.ResourceVersion, stored.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task CelRule_RejectsViolation()
    {
        await using var api = await Emulator.StartWithCrdAsync();

        var cause = await SingleCauseAsync(api, WithSpec("c1", spec => spec["destinationRef"] = new JsonObject { ["name"] = "github" }));

        Assert.Equal("FieldValueInvalid", cause.Reason);
        Assert.Equal("spec", cause.Field);
        Assert.Contains("must name different objects", cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CelRule_TransitionRuleComparesWithOldObject()
    {
        await using var api = await Emulator.StartAsync();
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(TestCrds.ConnectionYaml);
        crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"].XKubernetesValidations.Add(
            new V1ValidationRule { Rule = "self.sourceRef.name == oldSelf.sourceRef.name", Message = "sourceRef is immutable" });
        await api.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        var connections = new Connections(api.Client);
        var created = await connections.CreateAsync(TestResource.Connection("c1"));

        created.Spec!["sourceRef"]!["name"] = "stripe";
        var (code, status) = await ApiAssert.FailsAsync(() => connections.ReplaceAsync(created));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("sourceRef is immutable", Assert.Single(status.Details.Causes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CelRule_WithSyntaxErrorRejectsCrd()
    {
        await using var api = await Emulator.StartAsync();
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(TestCrds.ConnectionYaml);
        crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"].XKubernetesValidations[0].Rule = "self.sourceRef.name !=";

        var (code, status) = await ApiAssert.FailsAsync(() => api.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("x-kubernetes-validations[0].rule", Assert.Single(status.Details.Causes).Field, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CelRule_UnsupportedFunctionRejectsWrite()
    {
        await using var api = await Emulator.StartAsync();
        await InstallCrdWithUrlRuleAsync(api);

        var cause = await SingleCauseAsync(api, TestResource.Connection("c1"));

        Assert.Contains("cannot evaluate", cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CelRule_UnsupportedFunctionSkippedWhenAllowed()
    {
        await using var api = await Emulator.StartAsync(options => options.SkipUnsupportedValidationRules = true);
        await InstallCrdWithUrlRuleAsync(api);

        await new Connections(api.Client).CreateAsync(TestResource.Connection("c1"));

        Assert.Contains(api.SkippedValidationRules, rule => rule.Contains("isURL", StringComparison.Ordinal));
    }

    private static async Task InstallCrdWithUrlRuleAsync(KubeApiEmulator api)
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(TestCrds.ConnectionYaml);
        crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"].XKubernetesValidations.Add(
            new V1ValidationRule { Rule = "isURL('https://' + self.destinationRef.name)" });
        await api.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
    }
}
