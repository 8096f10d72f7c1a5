namespace FastHook.Gateway.Configuration;

/// <summary>
/// <paramref name="Requests"/> per <paramref name="Per"/>, with up to <paramref name="Burst"/> at once after a quiet spell.
/// </summary>
public sealed record RateLimitSettings(int Requests, TimeSpan Per, int Burst);
