namespace FastHook.Bench.Orchestration;

/// <summary>
/// Where the harness finds the programs it runs; bench/run.sh builds them to these places.
/// </summary>
internal sealed class BenchPaths(string repositoryRoot)
{
    public string Root => repositoryRoot;

    public string Gateway => Path.Combine(repositoryRoot, "bin", "fasthook");

    public string Receiver => Path.Combine(repositoryRoot, "bench", "bin", "receiver", "bench-receiver");

    public string BareEndpoint => Path.Combine(repositoryRoot, "bench", "bin", "bare-endpoint", "bare-endpoint");

    public string Relay => Path.Combine(repositoryRoot, "bench", "relay", "relay.js");

    public string WrkScript => Path.Combine(repositoryRoot, "bench", "wrk", "github.lua");

    /// <summary>This harness, started again as "fasthook-bench load" for each fixed-rate run.</summary>
    public static string Harness => Environment.ProcessPath ?? throw new InvalidOperationException("The harness cannot find its own executable.");

    /// <summary>Finds the repository root: the nearest folder above the harness that contains bench/ and src/.</summary>
    public static BenchPaths Locate()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, "bench")) && Directory.Exists(Path.Combine(directory.FullName, "src")))
            {
                return new BenchPaths(directory.FullName);
            }

            directory = directory.Parent;
        }

        throw new InvalidOperationException($"No repository root (a folder with bench/ and src/) above {AppContext.BaseDirectory}.");
    }

    /// <summary>Throws when a program the harness needs has not been built or installed.</summary>
    public void Verify()
    {
        foreach (var file in new[] { Gateway, Receiver, BareEndpoint, Relay, WrkScript })
        {
            if (!File.Exists(file))
            {
                throw new InvalidOperationException($"{file} is missing: run bench/run.sh, which builds and installs everything the harness needs.");
            }
        }

        if (!Directory.Exists(Path.Combine(repositoryRoot, "bench", "relay", "node_modules")))
        {
            throw new InvalidOperationException("bench/relay/node_modules is missing: run 'npm ci' in bench/relay, or bench/run.sh.");
        }
    }
}
