using System.Runtime.CompilerServices;
using System.Text.Json;
using FastHook.Api.V1Alpha1;
using FastHook.Operator.Controllers;
using k8s;
using k8s.Models;

namespace FastHook.Operator.Resources;

/// <summary>
/// List and watch calls for the kinds the operator caches, in one namespace or in all (<c>null</c>).
/// </summary>
public static class InformerSources
{
    public static InformerSource<T> Custom<T>(IKubernetes client, CustomResourceKind kind, string? ns)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        return new InformerSource<T>
        {
            Description = $"{kind.Plural} in {ns ?? "all namespaces"}",
            ListAsync = async cancellationToken =>
            {
                var list = ns is null
                    ? await client.CustomObjects.ListCustomObjectForAllNamespacesAsync<ResourceList<T>>(ApiGroup.Group, ApiGroup.Version, kind.Plural, cancellationToken: cancellationToken)
                    : await client.CustomObjects.ListNamespacedCustomObjectAsync<ResourceList<T>>(ApiGroup.Group, ApiGroup.Version, ns, kind.Plural, cancellationToken: cancellationToken);
                return (list.Items, list.Metadata.ResourceVersion ?? "");
            },
            WatchAsync = (resourceVersion, timeoutSeconds, onError, cancellationToken) =>
            {
                var events = ns is null
                    ? client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(
                        ApiGroup.Group, ApiGroup.Version, kind.Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion,
                        timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken)
                    : client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                        ApiGroup.Group, ApiGroup.Version, ns, kind.Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion,
                        timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken);
                return Typed<T>(events, cancellationToken);
            },
        };
    }

    public static InformerSource<V1Secret> Secrets(IKubernetes client, string? ns) => new()
    {
        Description = $"secrets in {ns ?? "all namespaces"}",
        ListAsync = async cancellationToken =>
        {
            var list = ns is null
                ? await client.CoreV1.ListSecretForAllNamespacesAsync(cancellationToken: cancellationToken)
                : await client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: cancellationToken);
            return ([.. list.Items], list.Metadata.ResourceVersion ?? "");
        },
        WatchAsync = (resourceVersion, timeoutSeconds, onError, cancellationToken) => ns is null
            ? client.CoreV1.WatchListSecretForAllNamespacesAsync(
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken)
            : client.CoreV1.WatchListNamespacedSecretAsync(
                ns, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken),
    };

    /// <summary>Reads the untyped objects the client's custom object watch returns as <typeparamref name="T"/>.</summary>
    private static async IAsyncEnumerable<(WatchEventType, T)> Typed<T>(IAsyncEnumerable<(WatchEventType, object)> events, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        await foreach (var (type, item) in events.WithCancellation(cancellationToken))
        {
            var json = item is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(item);
            yield return (type, KubernetesJson.Deserialize<T>(json));
        }
    }
}
