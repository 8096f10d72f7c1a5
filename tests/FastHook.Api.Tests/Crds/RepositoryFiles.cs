namespace FastHook.Api.Tests.Crds;

/// <summary>
/// Paths in the repository the tests run from.
/// </summary>
internal static class RepositoryFiles
{
    /// <summary>The folder that contains FastHook.Operator.sln, found by walking up from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    public static string CrdFolder => Path.Combine(Root, "config", "crd");

    public static string ExamplesFolder => Path.Combine(Root, "examples");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "FastHook.Operator.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"FastHook.Operator.sln was not found above {AppContext.BaseDirectory}: run the tests from a checkout of the repository.");
    }
}
