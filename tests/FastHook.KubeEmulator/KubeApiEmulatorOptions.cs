using Microsoft.Extensions.Logging;

namespace FastHook.KubeEmulator;

/// <summary>
/// Settings of one emulator instance.
/// </summary>
public sealed class KubeApiEmulatorOptions
{
    /// <summary>
    /// How many changes the emulator keeps for watches to resume from. A watch from an older resourceVersion
    /// gets 410 Expired, so keep it small in tests that exercise expiry.
    /// </summary>
    public int WatchHistorySize { get; set; } = 1000;

    /// <summary>How often a watch opened with allowWatchBookmarks=true gets a BOOKMARK line when idle.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a watch lasts when the request sets no timeoutSeconds.</summary>
    public TimeSpan DefaultWatchTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The namespaces that exist when the emulator starts.</summary>
    public IList<string> InitialNamespaces { get; } = ["default", "kube-system"];

    /// <summary>
    /// Whether a CRD may carry x-kubernetes-validations rules that cel-net cannot run (Kubernetes CEL extension
    /// functions). Such rules are then skipped and listed in <see cref="KubeApiEmulator.SkippedValidationRules"/>.
    /// When false, the CRD or the write is rejected with 422 naming the rule.
    /// </summary>
    public bool SkipUnsupportedValidationRules { get; set; }

    /// <summary>The clock for creationTimestamp, deletionTimestamp and condition times. Watch timeouts use the real clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the emulator logs its start and the requests it failed to serve. Nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal void Validate()
    {
        if (WatchHistorySize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WatchHistorySize), WatchHistorySize, "WatchHistorySize must be at least 1.");
        }

        if (BookmarkInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BookmarkInterval), BookmarkInterval, "BookmarkInterval must be positive.");
        }

        if (DefaultWatchTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultWatchTimeout), DefaultWatchTimeout, "DefaultWatchTimeout must be positive.");
        }
    }
}
