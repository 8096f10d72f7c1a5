using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FastHook.Api.Tests.Crds;

/// <summary>
/// Checks that the CRDs accept the manifests the project ships and documents, so that the schema is never
/// stricter than what the documentation shows. CEL rules are evaluated with the Cel package.
/// </summary>
public sealed partial class ExampleManifestsTests
{
    private static readonly CrdValidator Validator = CrdValidator.ForGeneratedCrds();

    public static TheoryData<string> ExampleFiles() => new(ExamplePaths());

    /// <summary>Every YAML file under examples/, relative to the repository root.</summary>
    private static IEnumerable<string> ExamplePaths() =>
        Directory.EnumerateFiles(RepositoryFiles.ExamplesFolder, "*.*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => Path.GetRelativePath(RepositoryFiles.Root, path));

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void ExampleFile_FitsCrds(string file)
    {
        var documents = YamlDocuments.Read(File.ReadAllText(Path.Combine(RepositoryFiles.Root, file)));

        foreach (var resource in documents.OfType<JsonObject>().Where(Validator.Covers))
        {
            var errors = Validator.Validate(resource);

            Assert.True(errors.Count == 0, $"{file}: {resource["kind"]} {resource["metadata"]?["name"]} is rejected:\n{string.Join("\n", errors)}");
        }
    }

    [Fact]
    public void Examples_CoverEveryKind()
    {
        var kinds = ExamplePaths()
            .SelectMany(file => YamlDocuments.Read(File.ReadAllText(Path.Combine(RepositoryFiles.Root, file))))
            .OfType<JsonObject>()
            .Where(Validator.Covers)
            .Select(resource => resource["kind"]!.GetValue<string>())
            .ToHashSet();

        Assert.Equal(["Connection", "Destination", "WebhookSource"], kinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReadmeManifests_FitCrds()
    {
        var resources = YamlBlocks(Path.Combine(RepositoryFiles.Root, "README.md"))
            .Where(block => block.Contains("apiVersion: fasthook.io/v1alpha1", StringComparison.Ordinal))
            .SelectMany(YamlDocuments.Read)
            .OfType<JsonObject>()
            .ToList();

        Assert.Equal(3, resources.Count);
        foreach (var resource in resources)
        {
            var errors = Validator.Validate(resource);

            Assert.True(errors.Count == 0, $"README.md: {resource["kind"]} is rejected:\n{string.Join("\n", errors)}");
        }
    }

    /// <summary>
    /// The verification guide shows only the spec of each WebhookSource, so each block is wrapped in a resource.
    /// </summary>
    [Fact]
    public void VerificationGuideSpecs_FitCrds()
    {
        var specs = YamlBlocks(Path.Combine(RepositoryFiles.Root, "docs", "verification.md"))
            .Where(block => block.Contains("verification:", StringComparison.Ordinal))
            .Select(YamlDocuments.ReadObject)
            .ToList();

        Assert.True(specs.Count >= 10, $"expected a block per provider in docs/verification.md, found {specs.Count}");
        foreach (var spec in specs)
        {
            var resource = new JsonObject
            {
                ["apiVersion"] = "fasthook.io/v1alpha1",
                ["kind"] = "WebhookSource",
                ["metadata"] = new JsonObject { ["name"] = "example" },
                ["spec"] = spec["spec"]!.DeepClone(),
            };

            var errors = Validator.Validate(resource);

            Assert.True(errors.Count == 0, $"docs/verification.md: the {spec["spec"]!["verification"]!["provider"]} example is rejected:\n{string.Join("\n", errors)}");
        }
    }

    private static IEnumerable<string> YamlBlocks(string markdownFile) =>
        YamlBlock().Matches(File.ReadAllText(markdownFile)).Select(match => match.Groups["yaml"].Value);

    [GeneratedRegex(@"^```yaml\n(?<yaml>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
