namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// A copy of the chart in a temporary folder, for tests that add files to it. Deleted on dispose.
/// </summary>
internal sealed class ChartCopy : IDisposable
{
    public ChartCopy()
    {
        Root = Path.Combine(Path.GetTempPath(), "fasthook-chart-" + Guid.NewGuid().ToString("N"));
        Folder = Path.Combine(Root, "fasthook-operator");
        CopyFolder(RepositoryPaths.Chart, Folder);
    }

    public string Root { get; }

    public string Folder { get; }

    /// <summary>Removes the CRDs the chart ships, so a test can render sample CRDs alone.</summary>
    public void RemoveShippedCrds()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Folder, "files", "crds"), "*.yaml"))
        {
            File.Delete(file);
        }
    }

    public void WriteFile(string relativePath, string contents)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents);
    }

    /// <summary>
    /// Adds a template that renders NOTES.txt into a ConfigMap, because helm template does not print NOTES
    /// and helm install needs a cluster, even with --dry-run=client.
    /// </summary>
    public void ExposeNotes()
    {
        WriteFile("files/notes-under-test.txt", File.ReadAllText(Path.Combine(Folder, "templates", "NOTES.txt")));
        WriteFile("templates/notes-under-test.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: notes-under-test
            data:
              notes: {{ tpl (.Files.Get "files/notes-under-test.txt") . | quote }}
            """);
    }

    public void Dispose()
    {
        Directory.Delete(Root, recursive: true);
    }

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.GetDirectories(source))
        {
            CopyFolder(folder, Path.Combine(target, Path.GetFileName(folder)));
        }
    }
}
