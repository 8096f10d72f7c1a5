using System.Text.Json;
using k8s;
using k8s.Models;

namespace FastHook.KubeEmulator.Tests.Infrastructure;

/// <summary>
/// The client's typed custom object calls for the test Connection resources in the default namespace.
/// </summary>
public sealed class Connections(IKubernetes client, string namespaceName = "default")
{
    private const string Group = TestCrds.Group;
    private const string Version = TestCrds.Version;
    private const string Plural = TestCrds.Connections;

    public Task<TestResource> CreateAsync(TestResource resource) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync<TestResource>(resource, Group, Version, namespaceName, Plural);

    public Task<TestResource> GetAsync(string name) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<TestResource>(Group, Version, namespaceName, Plural, name);

    public Task<TestResourceList> ListAsync(string? labelSelector = null) =>
        client.CustomObjects.ListNamespacedCustomObjectAsync<TestResourceList>(Group, Version, namespaceName, Plural, labelSelector: labelSelector);

    public Task<TestResource> ReplaceAsync(TestResource resource) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectAsync<TestResource>(resource, Group, Version, namespaceName, Plural, resource.Metadata.Name);

    public Task<TestResource> ReplaceStatusAsync(TestResource resource) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<TestResource>(resource, Group, Version, namespaceName, Plural, resource.Metadata.Name);

    public Task<TestResource> PatchAsync(string name, V1Patch patch, string? fieldManager = null, bool? force = null) =>
        client.CustomObjects.PatchNamespacedCustomObjectAsync<TestResource>(patch, Group, Version, namespaceName, Plural, name, fieldManager: fieldManager, force: force);

    public Task<TestResource> PatchStatusAsync(string name, V1Patch patch) =>
        client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<TestResource>(patch, Group, Version, namespaceName, Plural, name);

    public Task<TestResource> DeleteAsync(string name, string? propagationPolicy = null, V1DeleteOptions? options = null) =>
        client.CustomObjects.DeleteNamespacedCustomObjectAsync<TestResource>(Group, Version, namespaceName, Plural, name, body: options, propagationPolicy: propagationPolicy);

    /// <summary>Opens a watch through the client's own watch support.</summary>
    public WatchCollector<TestResource> Watch(string? resourceVersion = null, bool? bookmarks = null, int? timeoutSeconds = null, string? labelSelector = null)
    {
        return Watch(resourceVersion, bookmarks, timeoutSeconds, labelSelector, fieldSelector: null);
    }

    public WatchCollector<TestResource> Watch(string? resourceVersion, bool? bookmarks, int? timeoutSeconds, string? labelSelector, string? fieldSelector)
    {
        var collector = new WatchCollector<TestResource>();
        var events = client.CustomObjects.WatchListNamespacedCustomObjectAsync(
            Group, Version, namespaceName, Plural,
            allowWatchBookmarks: bookmarks,
            fieldSelector: fieldSelector,
            labelSelector: labelSelector,
            resourceVersion: resourceVersion,
            timeoutSeconds: timeoutSeconds,
            onError: collector.OnError,
            cancellationToken: collector.Cancellation);
        collector.Start(AsTestResources(events));
        return collector;
    }

    /// <summary>Reads the untyped objects the custom object watch yields as <see cref="TestResource"/>.</summary>
    private static async IAsyncEnumerable<(WatchEventType, TestResource)> AsTestResources(IAsyncEnumerable<(WatchEventType Type, object Object)> events)
    {
        await foreach (var (type, item) in events)
        {
            var json = item is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(item);
            yield return (type, KubernetesJson.Deserialize<TestResource>(json));
        }
    }
}
