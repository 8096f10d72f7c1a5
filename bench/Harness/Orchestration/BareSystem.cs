namespace FastHook.Bench.Orchestration;

/// <summary>
/// The bare ASP.NET Core endpoint (bench/BareEndpoint): reads the body, responds 200, stores nothing.
/// </summary>
internal sealed class BareSystem : WebhookSystem
{
    private readonly ManagedProcess _process;
    private readonly int _port;

    private BareSystem(ManagedProcess process, int port)
    {
        _process = process;
        _port = port;
    }

    public override string Name => "bare";

    public override IReadOnlyList<Uri> IngestUrls => [new Uri($"http://127.0.0.1:{_port}/e/bench/github")];

    public override IReadOnlyList<ManagedProcess> Processes => [_process];

    public static async Task<BareSystem> StartAsync(BenchPaths paths, string runDirectory)
    {
        var port = Ports.Free();
        var process = ManagedProcess.Start("bare-endpoint", paths.BareEndpoint, ["--urls", $"http://127.0.0.1:{port}"], runDirectory);
        await Readiness.WaitForHttpAsync($"http://127.0.0.1:{port}/", process, TimeSpan.FromSeconds(30), runDirectory);
        return new BareSystem(process, port);
    }

    public override void Dispose() => _process.Dispose();
}
