namespace FastHook.Gateway.Tests.Infrastructure;

/// <summary>
/// Locates files of the repository the tests run from.
/// </summary>
public static class RepositoryPaths
{
    /// <summary>The repository's root: the nearest folder above the test assembly that contains FastHook.Operator.sln.</summary>
    public static string Root
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "FastHook.Operator.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException($"No FastHook.Operator.sln was found above {AppContext.BaseDirectory}: run the tests from a clone of the repository.");
        }
    }
}
