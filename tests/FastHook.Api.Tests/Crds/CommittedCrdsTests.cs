using System.Text.Json.Nodes;
using FastHook.Api.Schema;

namespace FastHook.Api.Tests.Crds;

public sealed class CommittedCrdsTests
{
    private const string Fix = "Run `make crds` and commit config/crd.";

    [Fact]
    public void CommittedFiles_MatchGeneratedFiles()
    {
        foreach (var file in CrdGenerator.GenerateFiles())
        {
            var path = Path.Combine(RepositoryFiles.CrdFolder, file.FileName);

            Assert.True(File.Exists(path), $"{path} is missing. {Fix}");
            Assert.True(File.ReadAllText(path) == file.Yaml, $"{path} differs from what the types in src/FastHook.Api/V1Alpha1 generate. {Fix}");
        }
    }

    [Fact]
    public void CrdFolder_HasNoStaleFiles()
    {
        var generated = CrdGenerator.GenerateFiles().Select(file => file.FileName).ToHashSet(StringComparer.Ordinal);

        foreach (var path in Directory.EnumerateFiles(RepositoryFiles.CrdFolder, CrdGenerator.FilePrefix + "*"))
        {
            Assert.True(generated.Contains(Path.GetFileName(path)), $"{path} belongs to no resource type. {Fix}");
        }
    }

    [Fact]
    public void GeneratedFiles_OnePerResourceInKindOrder()
    {
        var names = CrdGenerator.GenerateFiles().Select(file => file.FileName).ToList();

        Assert.Equal(["fasthook.io_connections.yaml", "fasthook.io_destinations.yaml", "fasthook.io_webhooksources.yaml"], names);
    }

    [Fact]
    public void Generation_IsRepeatable()
    {
        var first = CrdGenerator.GenerateFiles().Select(file => file.Yaml).ToList();
        var second = CrdGenerator.GenerateFiles().Select(file => file.Yaml).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Yaml_ReadsBackAsGeneratedObject()
    {
        foreach (var file in CrdGenerator.GenerateFiles())
        {
            var read = YamlDocuments.ReadObject(file.Yaml);

            Assert.True(JsonNode.DeepEquals(file.Definition, read), $"{file.FileName} does not read back as the object it was written from: a scalar is quoted wrongly.");
        }
    }
}
