namespace FastHook.KubeEmulator.Tests.Infrastructure;

/// <summary>
/// Starts an emulator for one test, with a small watch history and short bookmark interval so that
/// expiry and bookmarks happen within a test.
/// </summary>
public static class Emulator
{
    public static Task<KubeApiEmulator> StartAsync(Action<KubeApiEmulatorOptions>? configure = null)
    {
        var options = new KubeApiEmulatorOptions
        {
            WatchHistorySize = 50,
            BookmarkInterval = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        return KubeApiEmulator.StartAsync(options);
    }

    public static async Task<KubeApiEmulator> StartWithCrdAsync(Action<KubeApiEmulatorOptions>? configure = null)
    {
        var api = await StartAsync(configure);
        await TestCrds.InstallConnectionCrdAsync(api.Client);
        return api;
    }
}
