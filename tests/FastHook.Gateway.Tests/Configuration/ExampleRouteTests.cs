using FastHook.Api.Manifests;
using FastHook.Gateway.Configuration;
using FastHook.Gateway.Storage;

using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Configuration;

public sealed class ExampleRouteTests
{
    public static TheoryData<string> ExampleFolders()
    {
        var folders = new TheoryData<string>();
        foreach (var folder in Directory.EnumerateDirectories(Path.Combine(RepositoryRoot(), "examples")).Order(StringComparer.Ordinal))
        {
            // The GitOps folder holds Argo CD and Flux objects, which the gateway does not read.
            if (Path.GetFileName(folder) != "gitops")
            {
                folders.Add(Path.GetFileName(folder));
            }
        }

        return folders;
    }

    [Theory]
    [MemberData(nameof(ExampleFolders))]
    public void ExampleFolder_CompilesIntoRoutes(string folder)
    {
        var set = ManifestLoader.LoadAndValidate([Path.Combine(RepositoryRoot(), "examples", folder)]);

        var table = RouteTableBuilder.Build(set, new RedisKeys("fh"), TimeProvider.System);

        Assert.Equal(set.Connections.Count, table.Connections.Count);
        Assert.All(table.Sources.Values, source => Assert.NotEmpty(source.Connections));
    }

    private static string RepositoryRoot() => RepositoryPaths.Root;
}
