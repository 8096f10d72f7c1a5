using System.Diagnostics;
using FastHook.KubeEmulator.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace FastHook.KubeEmulator.Tests;

public sealed class WatchTests
{
    [Fact]
    public async Task Watch_ReceivesAddedModifiedDeletedInOrder()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        await connections.CreateAsync(TestResource.Connection("existing"));
        await using var watch = connections.Watch(timeoutSeconds: 30);
        var initial = await watch.NextAsync();

        var created = await connections.CreateAsync(TestResource.Connection("c1"));
        created.Spec!["paused"] = true;
        var modified = await connections.ReplaceAsync(created);
        await connections.DeleteAsync("c1");

        Assert.Equal((WatchEventType.Added, "existing"), (initial.Type, initial.Object.Metadata.Name));
        var added = await watch.NextAsync();
        Assert.Equal((WatchEventType.Added, "c1"), (added.Type, added.Object.Metadata.Name));
        var changed = await watch.NextAsync();
        Assert.Equal(WatchEventType.Modified, changed.Type);
        Assert.Equal(modified.Metadata.ResourceVersion, changed.Object.Metadata.ResourceVersion);
        Assert.True(changed.Object.Spec!["paused"]!.GetValue<bool>());
        var deleted = await watch.NextAsync();
        Assert.Equal((WatchEventType.Deleted, "c1"), (deleted.Type, deleted.Object.Metadata.Name));
        Assert.True(long.Parse(deleted.Object.Metadata.ResourceVersion) > long.Parse(modified.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Watch_ResumesFromResourceVersion()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var first = await connections.CreateAsync(TestResource.Connection("c1"));
        first.Spec!["paused"] = true;
        await connections.ReplaceAsync(first);
        await connections.CreateAsync(TestResource.Connection("c2"));

        await using var watch = connections.Watch(resourceVersion: first.Metadata.ResourceVersion);

        var modified = await watch.NextAsync();
        Assert.Equal((WatchEventType.Modified, "c1"), (modified.Type, modified.Object.Metadata.Name));
        var added = await watch.NextAsync();
        Assert.Equal((WatchEventType.Added, "c2"), (added.Type, added.Object.Metadata.Name));
    }

    [Fact]
    public async Task Watch_SendsBookmarksWhenAllowed()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var created = await connections.CreateAsync(TestResource.Connection("c1"));

        await using var watch = connections.Watch(resourceVersion: created.Metadata.ResourceVersion, bookmarks: true);
        var bookmark = await watch.NextAsync(includeBookmarks: true);

        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.True(long.Parse(bookmark.Object.Metadata.ResourceVersion) >= long.Parse(created.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Watch_WithoutBookmarksGetsNone()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        await connections.CreateAsync(TestResource.Connection("c1"));

        await using var watch = connections.Watch(bookmarks: false, timeoutSeconds: 1);
        await watch.Ended.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(WatchEventType.Added, (await watch.NextAsync(includeBookmarks: true)).Type);
        Assert.False(await watch.ReceivesAnyWithinAsync(TimeSpan.FromMilliseconds(10)));
        Assert.Empty(watch.Errors);
    }

    [Fact]
    public async Task Watch_EndsAfterTimeoutSeconds()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        await connections.CreateAsync(TestResource.Connection("c1"));
        var clock = Stopwatch.StartNew();

        await using var watch = connections.Watch(timeoutSeconds: 1);
        await watch.Ended.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        Assert.Equal(WatchEventType.Added, (await watch.NextAsync()).Type);
        Assert.Empty(watch.Errors);
    }

    /// <summary>
    /// The C# client (21.0.8) reads the first line before it returns the watch, so a stream that ends with no
    /// line at all surfaces as an HttpRequestException. A real API server sends the same empty stream.
    /// </summary>
    [Fact]
    public async Task Watch_EndingBeforeFirstLineFailsInClient()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var list = await new Connections(api.Client).ListAsync();

        await using var watch = new Connections(api.Client).Watch(resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 1);
        await watch.Ended.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.IsType<HttpRequestException>(Assert.Single(watch.Errors));
    }

    [Fact]
    public async Task Watch_CompactedVersionExpiresThenRelists()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var old = await connections.CreateAsync(TestResource.Connection("c1"));
        await connections.CreateAsync(TestResource.Connection("c2"));
        api.CompactHistory();

        await using var expired = connections.Watch(resourceVersion: old.Metadata.ResourceVersion);
        await expired.Ended.WaitAsync(TimeSpan.FromSeconds(5));

        var error = Assert.IsType<KubernetesException>(Assert.Single(expired.Errors));
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);

        var relisted = await connections.ListAsync();
        Assert.Equal(2, relisted.Items.Count);
        await using var resumed = connections.Watch(resourceVersion: relisted.Metadata.ResourceVersion);
        await connections.CreateAsync(TestResource.Connection("c3"));
        var added = await resumed.NextAsync();
        Assert.Equal((WatchEventType.Added, "c3"), (added.Type, added.Object.Metadata.Name));
        Assert.Empty(resumed.Errors);
    }

    [Fact]
    public async Task Watch_VersionOutsideHistoryExpires()
    {
        await using var api = await Emulator.StartWithCrdAsync(options => options.WatchHistorySize = 3);
        var connections = new Connections(api.Client);
        var first = await connections.CreateAsync(TestResource.Connection("c1"));
        for (var i = 0; i < 4; i++)
        {
            var current = await connections.GetAsync("c1");
            current.Spec!["headers"] = new System.Text.Json.Nodes.JsonObject { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            await connections.ReplaceAsync(current);
        }

        await using var watch = connections.Watch(resourceVersion: first.Metadata.ResourceVersion);
        await watch.Ended.WaitAsync(TimeSpan.FromSeconds(5));

        var error = Assert.IsType<KubernetesException>(Assert.Single(watch.Errors));
        Assert.Equal(410, error.Status.Code);
    }

    [Fact]
    public async Task Watch_CloseWatchesEndsOpenStreams()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        await connections.CreateAsync(TestResource.Connection("c1"));
        await using var watch = connections.Watch();
        await watch.NextAsync();

        api.CloseWatches();

        await watch.Ended.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, api.OpenWatchCount);
        Assert.Empty(watch.Errors);
    }

    [Fact]
    public async Task Watch_StalledStreamStaysOpenAndSilent()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        await using var stalled = connections.Watch(timeoutSeconds: 1);
        await Eventually.TrueAsync(() => api.OpenWatchCount == 1, "the watch to open");

        api.StallWatches();
        await connections.CreateAsync(TestResource.Connection("c1"));

        Assert.False(await stalled.ReceivesAnyWithinAsync(TimeSpan.FromMilliseconds(1500)));
        Assert.False(stalled.Ended.IsCompleted);
        Assert.Equal(1, api.OpenWatchCount);

        await using var fresh = connections.Watch();
        var added = await fresh.NextAsync();
        Assert.Equal("c1", added.Object.Metadata.Name);
    }

    [Fact]
    public async Task Watch_LabelSelectorTurnsRelabelIntoDeleted()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var resource = TestResource.Connection("c1");
        resource.Metadata.Labels = new Dictionary<string, string> { ["team"] = "payments" };
        var created = await connections.CreateAsync(resource);
        await using var watch = connections.Watch(resourceVersion: created.Metadata.ResourceVersion, labelSelector: "team=payments");

        created.Metadata.Labels = new Dictionary<string, string> { ["team"] = "search" };
        await connections.ReplaceAsync(created);

        var left = await watch.NextAsync();
        Assert.Equal((WatchEventType.Deleted, "c1"), (left.Type, left.Object.Metadata.Name));
    }

    [Fact]
    public async Task Watch_CoreTypeThroughTypedClient()
    {
        await using var api = await Emulator.StartAsync();
        var list = await api.Client.CoreV1.ListNamespacedSecretAsync("default");
        var events = new List<(WatchEventType, V1Secret)>();
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(5));

#pragma warning disable CS0618 // WatchAsync is the client's documented way to watch a list call.
        var stream = api.Client.CoreV1.ListNamespacedSecretWithHttpMessagesAsync("default", watch: true, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: done.Token)
            .WatchAsync<V1Secret, V1SecretList>(cancellationToken: done.Token);
#pragma warning restore CS0618
        var reader = Task.Run(async () =>
        {
            await foreach (var item in stream)
            {
                events.Add(item);
                if (events.Count == 2)
                {
                    return;
                }
            }
        });
        await Eventually.TrueAsync(() => api.OpenWatchCount == 1, "the watch to open");

        await api.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s1" } }, "default");
        await api.Client.CoreV1.DeleteNamespacedSecretAsync("s1", "default");
        await reader.WaitAsync(done.Token);

        Assert.Equal([WatchEventType.Added, WatchEventType.Deleted], events.Select(e => e.Item1));
        Assert.All(events, e => Assert.Equal("s1", e.Item2.Metadata.Name));
    }

    [Fact]
    public async Task Watch_SingleObjectByFieldSelector()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var list = await connections.ListAsync();

        await using var collector = connections.Watch(list.Metadata.ResourceVersion, bookmarks: null, timeoutSeconds: 5, labelSelector: null, fieldSelector: "metadata.name=c2");
        await Eventually.TrueAsync(() => api.OpenWatchCount == 1, "the watch to open");

        await connections.CreateAsync(TestResource.Connection("c1"));
        await connections.CreateAsync(TestResource.Connection("c2"));

        var only = await collector.NextAsync();
        Assert.Equal("c2", only.Object.Metadata.Name);
    }
}
