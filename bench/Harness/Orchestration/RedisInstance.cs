using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace FastHook.Bench.Orchestration;

/// <summary>
/// A redis-server the harness starts on its own port and temporary directory, configured as a production gateway
/// would use it: append-only file with fsync every second, no RDB snapshots. Automatic AOF rewrites are off so
/// that a rewrite's fork does not land in the middle of a measurement.
/// </summary>
internal sealed class RedisInstance : IDisposable
{
    private readonly ManagedProcess _process;
    private readonly ConnectionMultiplexer _client;
    private readonly string _directory;

    private RedisInstance(int port, ManagedProcess process, ConnectionMultiplexer client, string directory)
    {
        Port = port;
        _process = process;
        _client = client;
        _directory = directory;
    }

    public int Port { get; }

    public string Url => $"redis://127.0.0.1:{Port}";

    public ManagedProcess Process => _process;

    public IDatabase Database => _client.GetDatabase();

    public IServer Server => _client.GetServer("127.0.0.1", Port);

    public static async Task<RedisInstance> StartAsync(string name, string runDirectory)
    {
        var port = Ports.Free();
        var directory = Path.Combine(runDirectory, name + "-data");
        Directory.CreateDirectory(directory);
        var process = ManagedProcess.Start(name, "redis-server", [
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory,
            "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--auto-aof-rewrite-percentage", "0",
            "--protected-mode", "yes", "--maxmemory", "0",
        ], runDirectory);

        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                var client = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true,abortConnect=true,connectTimeout=1000");
                return new RedisInstance(port, process, client, directory);
            }
            catch (RedisConnectionException) when (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>used_memory from INFO memory, in bytes.</summary>
    public async Task<long> UsedMemoryAsync()
    {
        var info = await Server.InfoAsync("memory");
        var value = info.SelectMany(group => group).First(pair => pair.Key == "used_memory").Value;
        return long.Parse(value, CultureInfo.InvariantCulture);
    }

    public async Task<string> VersionAsync()
    {
        var info = await Server.InfoAsync("server");
        return info.SelectMany(group => group).First(pair => pair.Key == "redis_version").Value;
    }

    public void Dispose()
    {
        _client.Dispose();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
