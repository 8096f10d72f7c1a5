using System.Reflection;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Storage;

public sealed class ScriptTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    public static TheoryData<string> ScriptNames()
    {
        var names = new TheoryData<string>();
        foreach (var field in typeof(Scripts).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            names.Add(field.Name);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(ScriptNames))]
    public async Task Script_CompilesInRedis(string name)
    {
        var script = (string)typeof(Scripts).GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        await using var connection = await redis.Server.ConnectAsync();
        var server = connection.GetServer(connection.GetEndPoints()[0]);

        var hash = await server.ScriptLoadAsync(script);

        Assert.Equal(20, hash.Length);
    }
}
