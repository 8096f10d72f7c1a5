using StackExchange.Redis;

namespace FastHook.Gateway.Storage;

/// <summary>
/// Creates consumer groups on demand.
/// </summary>
internal static class StreamGroups
{
    /// <summary>
    /// Creates <paramref name="group"/> on <paramref name="stream"/> (and the stream) when missing. New groups start at
    /// the beginning of the stream, so entries written before the first gateway started are not skipped.
    /// </summary>
    public static async Task EnsureAsync(IDatabase database, RedisKey stream, string group)
    {
        try
        {
            await database.StreamCreateConsumerGroupAsync(stream, group, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
        }
    }

    public static bool IsMissingGroup(RedisServerException exception) =>
        exception.Message.StartsWith("NOGROUP", StringComparison.Ordinal);
}
