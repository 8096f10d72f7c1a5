namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// Paths of the repository files that the chart tests read, found from the test assembly's folder.
/// </summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "charts", "fasthook-operator");

    public static string ChartCrds => Path.Combine(Chart, "files", "crds");

    public static string AlertRules => Path.Combine(Chart, "files", "alerts.yaml");

    public static string Dashboard => Path.Combine(Chart, "files", "dashboards", "fasthook.json");

    public static string AlertTests => Path.Combine(Root, "tests", "monitoring", "alerts_test.yaml");

    public static string AlertRunbooks => Path.Combine(Root, "docs", "alerts.md");

    public static string HelmGuide => Path.Combine(Root, "docs", "helm.md");

    public static string Readme => Path.Combine(Root, "README.md");

    public static string ConfigCrd => Path.Combine(Root, "config", "crd");

    public static string ValuesFile(string name) => Path.Combine(Root, "tests", "FastHook.Chart.Tests", "Values", name);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "FastHook.Operator.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException(
            $"FastHook.Operator.sln was not found in {AppContext.BaseDirectory} or any parent folder: run the tests from the repository.");
    }
}
