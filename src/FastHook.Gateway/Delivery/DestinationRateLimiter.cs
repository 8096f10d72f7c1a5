using FastHook.Gateway.Configuration;
using FastHook.Gateway.Storage;
using StackExchange.Redis;

namespace FastHook.Gateway.Delivery;

/// <summary>
/// A destination's rate limit as a token bucket in Redis, shared by every gateway process. Workers take
/// tokens before they read events and give back the ones they could not use, so unread events wait in the
/// stream and nothing is dropped.
/// </summary>
public sealed class DestinationRateLimiter(IConnectionMultiplexer redis, RedisKeys keys)
{
    /// <summary>
    /// Takes up to <paramref name="wanted"/> tokens; returns how many were granted and, when none was, how long
    /// until the next one.
    /// </summary>
    public async Task<(int Granted, TimeSpan Wait)> TakeAsync(DestinationTarget destination, RateLimitSettings limit, int wanted)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
            FlowControlScripts.TakeTokens,
            [keys.Destination(destination.Name).RateLimit],
            [limit.Burst, TokensPerMillisecond(limit), wanted]))!;
        return ((int)result[0], TimeSpan.FromMilliseconds((long)result[1]));
    }

    public Task ReturnAsync(DestinationTarget destination, RateLimitSettings limit, int unused) =>
        redis.GetDatabase().ScriptEvaluateAsync(
            FlowControlScripts.ReturnTokens,
            [keys.Destination(destination.Name).RateLimit],
            [limit.Burst, unused]);

    private static double TokensPerMillisecond(RateLimitSettings limit) => limit.Requests / limit.Per.TotalMilliseconds;
}
