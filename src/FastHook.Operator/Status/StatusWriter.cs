using System.Net;
using System.Text.Json.Nodes;
using FastHook.Api.V1Alpha1;
using FastHook.Operator.Resources;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FastHook.Operator.Status;

/// <summary>
/// Writes a resource's status through the status subresource only when it differs from the stored one, so a
/// status write never causes another, and retries a 409 Conflict on a freshly read copy.
/// </summary>
public sealed partial class StatusWriter(IKubernetes client, ILogger<StatusWriter> logger)
{
    private const int MaxAttempts = 5;

    /// <summary>Number of status writes sent, for tests that check no write loop exists.</summary>
    public int Writes => Volatile.Read(ref _writes);

    private int _writes;

    /// <summary>
    /// Applies <paramref name="update"/> to a copy of <paramref name="cached"/> and writes the status when it
    /// changed; returns the stored object, or null when it no longer exists.
    /// </summary>
    public async Task<T?> UpdateAsync<T>(CustomResourceKind kind, T cached, Action<T> update, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var current = Clone(cached);
        var ns = current.Metadata.NamespaceProperty;
        var name = current.Metadata.Name;
        for (var attempt = 1; ; attempt++)
        {
            var before = StatusJson(current);
            update(current);
            if (StatusJson(current) == before)
            {
                return current;
            }

            try
            {
                Interlocked.Increment(ref _writes);
                return await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<T>(RequestBodies.Of(current), ApiGroup.Group, ApiGroup.Version, ns, kind.Plural, name, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Conflict && attempt < MaxAttempts)
            {
                Log.Conflict(logger, kind.Kind, ns, name, attempt);
                current = await client.CustomObjects.GetNamespacedCustomObjectAsync<T>(ApiGroup.Group, ApiGroup.Version, ns, kind.Plural, name, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }
    }

    public static T Clone<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));

    private static string StatusJson<T>(T resource) => JsonNode.Parse(KubernetesJson.Serialize(resource))?["status"]?.ToJsonString() ?? "";

    private static partial class Log
    {
        [LoggerMessage(201, LogLevel.Debug, "Status write of {Kind} {Namespace}/{Name} conflicted (attempt {Attempt}); retrying on a fresh copy")]
        public static partial void Conflict(ILogger logger, string kind, string? @namespace, string? name, int attempt);
    }
}
