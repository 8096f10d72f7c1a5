using System.Collections.Concurrent;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FastHook.Operator.Events;

/// <summary>
/// Records Kubernetes Events on FastHook resources, at most one per resource, reason and message within
/// <see cref="MinInterval"/>, so a resource that keeps failing does not flood the namespace. Messages come from
/// conditions, which never carry secret values.
/// </summary>
public sealed partial class EventRecorder(IKubernetes client, TimeProvider clock, ILogger<EventRecorder> logger)
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSent = new(StringComparer.Ordinal);

    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> resource, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var key = $"{resource.Metadata.Uid}/{reason}/{message}";
        if (_lastSent.TryGetValue(key, out var last) && now - last < MinInterval)
        {
            return;
        }

        _lastSent[key] = now;
        var ns = resource.Metadata.NamespaceProperty;
        var time = DateTime.SpecifyKind(now.UtcDateTime, DateTimeKind.Utc);
        var value = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = resource.Metadata.Name + ".", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = resource.ApiVersion,
                Kind = resource.Kind,
                Name = resource.Metadata.Name,
                NamespaceProperty = ns,
                Uid = resource.Metadata.Uid,
                ResourceVersion = resource.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message.Length > 1000 ? message[..1000] : message,
            Source = new V1EventSource { Component = "fasthook-operator" },
            FirstTimestamp = time,
            LastTimestamp = time,
            Count = 1,
        };

        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(value, ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException exception)
        {
            // An Event is a courtesy: failing to record one must not fail the reconcile that produced it.
            Log.Failed(logger, resource.Kind, ns, resource.Metadata.Name, reason, (int)exception.Response.StatusCode);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(401, LogLevel.Warning, "Recording event {Reason} on {Kind} {Namespace}/{Name} failed with HTTP {Status}")]
        public static partial void Failed(ILogger logger, string kind, string? @namespace, string? name, string reason, int status);
    }
}
