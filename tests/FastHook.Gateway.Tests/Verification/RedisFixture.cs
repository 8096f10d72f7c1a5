using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Verification;

/// <summary>
/// One real redis-server shared by the tests of a class; each test's gateway uses its own key prefix.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The Redis fixture has not started.");

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
