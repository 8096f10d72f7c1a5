using System.Net;
using FastHook.Api;
using FastHook.Api.Manifests;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Replay;
using FastHook.Operator.Controllers;
using FastHook.Operator.Resources;
using FastHook.Operator.Status;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Operator.Reconcilers;

/// <summary>
/// Sets a Connection's conditions, delivery counters and replay progress, starts its replays, and cleans up
/// its stored data behind a finalizer when it is deleted.
/// </summary>
public sealed partial class ConnectionReconciler(ReconcileContext context, GatewayReconciler gateway, ILogger<ConnectionReconciler> logger) : IReconciler
{
    public const string Finalizer = "fasthook.io/connection-cleanup";

    public async Task<ReconcileResult> ReconcileAsync(string ns, string name, CancellationToken cancellationToken)
    {
        if (context.Cache.Connection(ns, name) is not { } connection)
        {
            context.Metrics.RemoveReady(Connection.KindName, ns, name);
            return ReconcileResult.Done;
        }

        if (connection.Metadata.DeletionTimestamp is not null)
        {
            context.Metrics.RemoveReady(Connection.KindName, ns, name);
            return await FinalizeAsync(connection, cancellationToken);
        }

        if (connection.Metadata.Finalizers?.Contains(Finalizer) != true)
        {
            connection = await UpdateFinalizersAsync(connection, add: true, cancellationToken);
            if (connection is null)
            {
                return ReconcileResult.Done;
            }
        }

        var analysis = context.Cache.Analyze();
        var errors = analysis.ErrorsOf(connection.Kind, connection.QualifiedName);
        var now = context.Clock.GetUtcNow();
        var before = StatusWriter.Clone(connection.Status.Conditions);
        var (counts, replays, result) = await ReadDataAsync(connection, now);

        var stored = await context.Status.UpdateAsync(CustomResourceKind.Connections, connection, current =>
        {
            var generation = current.Metadata.Generation;
            var status = current.Status;
            var valid = ResourceConditions.Apply(status, errors, isConnection: true, generation, now);
            var referencesReady = SetReferenceConditions(current, analysis, status, generation, now);

            var paused = current.Spec.Paused == true;
            Conditions.Set(status.Conditions, ConditionTypes.Paused, paused, paused ? "PausedBySpec" : "Delivering",
                paused ? "Events are captured and held; set spec.paused to false to deliver them" : "Events are delivered", generation, now);

            context.SetReady(status, current.Kind, current.QualifiedName, valid && referencesReady, "The gateway routes this connection", generation, now);
            if (counts is { } value)
            {
                status.Pending = value.Pending;
                status.Failed = value.Scheduled;
                status.DeadLettered = value.DeadLettered;
            }

            status.Replays = MergeReplays(current, replays);
        }, cancellationToken);

        if (stored is not null)
        {
            await context.ReportReadinessAsync(stored, before, stored.Status.Conditions, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Reads the counters and advances the replays in Redis. Returns when to look again: soon while a replay
    /// runs, else after the counter interval; never when the operator has no Redis.
    /// </summary>
    private async Task<(Redis.DeliveryCounts? Counts, Dictionary<string, ReplayStatus> Replays, ReconcileResult Result)> ReadDataAsync(Connection connection, DateTimeOffset now)
    {
        var replays = new Dictionary<string, ReplayStatus>(StringComparer.Ordinal);
        if (context.Data is not { } data)
        {
            foreach (var request in connection.Spec.Replays ?? [])
            {
                replays[request.Name ?? ""] = Finished(connection, request.Name ?? "") ?? new ReplayStatus
                {
                    Name = request.Name ?? "",
                    Phase = ReplayValues.Pending,
                    Message = "The operator has no Redis URL, so replays cannot start: set FASTHOOK_REDIS_URL or --redis on the operator",
                };
            }

            return (null, replays, ReconcileResult.Done);
        }

        var result = ReconcileResult.After(context.Options.CounterInterval);
        try
        {
            var counts = await data.CountAsync(connection.QualifiedName);
            foreach (var request in connection.Spec.Replays ?? [])
            {
                var status = await ReplayAsync(data, connection, request, now);
                replays[request.Name ?? ""] = status;
                if (status.Phase is ReplayValues.Pending or ReplayValues.Running)
                {
                    result = result.Merge(ReconcileResult.After(context.Options.ReplayPollInterval));
                }
            }

            return (counts, replays, result);
        }
        catch (RedisException exception)
        {
            Log.RedisFailed(logger, connection.QualifiedName, exception);
            foreach (var request in connection.Spec.Replays ?? [])
            {
                replays[request.Name ?? ""] = Finished(connection, request.Name ?? "")
                    ?? connection.Status.Replays?.FirstOrDefault(replay => replay.Name == request.Name)
                    ?? new ReplayStatus { Name = request.Name ?? "", Phase = ReplayValues.Pending, Message = "Redis is unreachable; the replay starts when it is back" };
            }

            return (null, replays, ReconcileResult.After(context.Options.ReplayPollInterval));
        }
    }

    private async Task<ReplayStatus> ReplayAsync(Redis.ConnectionData data, Connection connection, ReplayRequest request, DateTimeOffset now)
    {
        // A replay recorded as finished in status is never created again, even when its record in Redis has
        // expired since, so each name runs once.
        if (Finished(connection, request.Name ?? "") is { } finished)
        {
            return finished;
        }

        var state = request.State ?? "deadLettered";
        if (!ReplayValues.States.Contains(state))
        {
            return new ReplayStatus
            {
                Name = request.Name ?? "",
                Phase = ReplayValues.Failed,
                Message = $"spec.replays[{request.Name}].state \"{state}\" is not allowed: use {string.Join(", ", ReplayValues.States)}",
                CompletedAt = Seconds(now),
            };
        }

        if (request.From is { } from && request.To is { } to && from >= to)
        {
            return new ReplayStatus
            {
                Name = request.Name ?? "",
                Phase = ReplayValues.Failed,
                Message = $"spec.replays[{request.Name}]: from ({from:O}) is not before to ({to:O}): swap them or widen the range",
                CompletedAt = Seconds(now),
            };
        }

        var record = await data.GetReplayAsync(connection.QualifiedName, request.Name ?? "")
            ?? await data.EnsureReplayAsync(connection.QualifiedName, request.Name ?? "", request.From ?? DateTimeOffset.UnixEpoch, request.To ?? now, state, now);
        return new ReplayStatus
        {
            Name = request.Name ?? "",
            Phase = record.Phase,
            Matched = record.Matched,
            Enqueued = record.Enqueued,
            StartedAt = Seconds(record.StartedAt),
            CompletedAt = Seconds(record.CompletedAt),
            Message = record.Message ?? (record.Phase == ReplayValues.Pending && !context.Cache.Analyze().IsValid(connection.Kind, connection.QualifiedName)
                ? "Waiting for the connection to become Ready; the gateway runs replays of configured connections only"
                : null),
        };
    }

    private static ReplayStatus? Finished(Connection connection, string name) =>
        connection.Status.Replays?.FirstOrDefault(replay => replay.Name == name && replay.Phase is ReplayValues.Succeeded or ReplayValues.Failed);

    private static List<ReplayStatus>? MergeReplays(Connection connection, Dictionary<string, ReplayStatus> replays)
    {
        if (connection.Spec.Replays is not { Count: > 0 } requests)
        {
            return null;
        }

        return [.. requests.Select(request => replays.GetValueOrDefault(request.Name ?? "")
            ?? connection.Status.Replays?.FirstOrDefault(replay => replay.Name == request.Name)
            ?? new ReplayStatus { Name = request.Name ?? "", Phase = ReplayValues.Pending })];
    }

    /// <summary>Sets SourceResolved and DestinationResolved to false when the referenced resource exists but is not valid.</summary>
    private static bool SetReferenceConditions(Connection connection, RouteAnalysis analysis, ConnectionStatus status, long? generation, DateTimeOffset now)
    {
        var ready = true;
        var source = $"{connection.Namespace}/{connection.Spec.SourceRef?.Name}";
        if (analysis.All.Exists(WebhookSource.KindName, connection.Namespace, connection.Spec.SourceRef?.Name ?? "") && !analysis.IsValid(WebhookSource.KindName, source))
        {
            Conditions.Set(status.Conditions, ConditionTypes.SourceResolved, false, "SourceNotReady",
                $"WebhookSource {source} is not valid: fix the problems its Ready condition lists", generation, now);
            ready = false;
        }

        var destination = $"{connection.Namespace}/{connection.Spec.DestinationRef?.Name}";
        if (analysis.All.Exists(Destination.KindName, connection.Namespace, connection.Spec.DestinationRef?.Name ?? "") && !analysis.IsValid(Destination.KindName, destination))
        {
            Conditions.Set(status.Conditions, ConditionTypes.DestinationResolved, false, "DestinationNotReady",
                $"Destination {destination} is not valid: fix the problems its Ready condition lists", generation, now);
            ready = false;
        }

        return ready;
    }

    /// <summary>
    /// Stops delivery (the gateway's configuration drops the connection first), removes the connection's queued
    /// work from Redis, lets its stored data expire after its dead-letter retention, then releases the finalizer.
    /// </summary>
    private async Task<ReconcileResult> FinalizeAsync(Connection connection, CancellationToken cancellationToken)
    {
        if (connection.Metadata.Finalizers?.Contains(Finalizer) != true)
        {
            return ReconcileResult.Done;
        }

        await gateway.ReconcileAsync("", GatewayReconciler.Key, cancellationToken);

        if (context.Data is { } data)
        {
            var keepFor = Durations.TryParse(connection.Spec.DeadLetter?.Retention, out var retention, out _) ? retention : TimeSpan.FromHours(168);
            try
            {
                var keys = await data.CleanUpAsync(connection.QualifiedName, keepFor);
                Log.CleanedUp(logger, connection.QualifiedName, keys, keepFor.TotalHours);
            }
            catch (RedisException exception)
            {
                Log.RedisFailed(logger, connection.QualifiedName, exception);
                return ReconcileResult.After(context.Options.ReplayPollInterval);
            }
        }

        await UpdateFinalizersAsync(connection, add: false, cancellationToken);
        return ReconcileResult.Done;
    }

    /// <summary>Adds or removes the finalizer with an update of metadata only; a 409 is retried on a fresh copy.</summary>
    private async Task<Connection?> UpdateFinalizersAsync(Connection connection, bool add, CancellationToken cancellationToken)
    {
        var current = StatusWriter.Clone(connection);
        for (var attempt = 1; ; attempt++)
        {
            var finalizers = current.Metadata.Finalizers?.ToList() ?? [];
            var changed = add ? !finalizers.Contains(Finalizer) : finalizers.Remove(Finalizer);
            if (add && changed)
            {
                finalizers.Add(Finalizer);
            }

            if (!changed)
            {
                return current;
            }

            current.Metadata.Finalizers = finalizers;
            try
            {
                return await context.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync<Connection>(
                    RequestBodies.Of(current), ApiGroup.Group, ApiGroup.Version, current.Metadata.NamespaceProperty, CustomResourceKind.Connections.Plural, current.Metadata.Name, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
                current = await context.Client.CustomObjects.GetNamespacedCustomObjectAsync<Connection>(
                    ApiGroup.Group, ApiGroup.Version, current.Metadata.NamespaceProperty, CustomResourceKind.Connections.Plural, current.Metadata.Name, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }
    }

    private static DateTimeOffset? Seconds(DateTimeOffset? time) => time is { } value ? DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds()) : null;

    private static partial class Log
    {
        [LoggerMessage(501, LogLevel.Warning, "Reading or writing Redis for Connection {Connection} failed; retrying")]
        public static partial void RedisFailed(ILogger logger, string connection, Exception exception);

        [LoggerMessage(502, LogLevel.Information, "Deleted Connection {Connection}: removed its queued work and set {Keys} keys to expire in {Hours} h")]
        public static partial void CleanedUp(ILogger logger, string connection, int keys, double hours);
    }
}
