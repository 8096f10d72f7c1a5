namespace FastHook.Gateway.Tests.Infrastructure;

/// <summary>
/// One redis-server shared by the tests of a class; each test uses its own key prefix.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
