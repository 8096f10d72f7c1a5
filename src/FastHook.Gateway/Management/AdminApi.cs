using System.Globalization;
using FastHook.Gateway.Configuration;
using FastHook.Gateway.Metrics;
using FastHook.Gateway.Replay;
using FastHook.Gateway.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FastHook.Gateway.Management;

/// <summary>
/// The admin API on the management port: inspection of requests, events, attempts and dead letters, retry of
/// one event, and named replays. Every route is under /api/v1 and needs the admin token when one is set.
/// </summary>
public static class AdminApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static void Map(IEndpointRouteBuilder app, GatewayServices services)
    {
        var api = app.MapGroup("/api/v1");
        api.AddEndpointFilter(async (context, next) =>
            AdminAuthentication.Check(context.HttpContext, services.Options.AdminToken) is { } denied
                ? Results.Json(new ErrorBody(denied.Message), statusCode: denied.Status)
                : await next(context));
        api.AddEndpointFilter(async (context, next) =>
            InvalidLimit(context.HttpContext.Request.Query["limit"].ToString() is { Length: > 0 } limit ? limit : null) is { } invalid
                ? invalid
                : await next(context));

        api.MapGet("/sources", () => Results.Json(services.Routes.Current.Sources.Values
            .OrderBy(source => source.Name, StringComparer.Ordinal)
            .Select(source => new { name = source.Name, path = source.Path, connections = source.Connections.Select(connection => connection.Name) })));

        api.MapGet("/connections", () => Results.Json(services.Routes.Current.Connections.Values
            .OrderBy(connection => connection.Name, StringComparer.Ordinal)
            .Select(connection => new { name = connection.Name, source = connection.SourceName, destination = connection.Destination.Name, paused = connection.Paused })));

        api.MapGet("/sources/{ns}/{name}/requests", async (string ns, string name, string? before, string? limit) =>
        {
            if (!services.Routes.Current.Sources.TryGetValue($"{ns}/{name}", out var source))
            {
                return NotFound("WebhookSource", ns, name);
            }

            if (before is not null && !StreamIds.IsValid(before))
            {
                return BadRequest($"before \"{before}\" is not a request id: use the id of the last request of the previous page");
            }

            var page = await services.Requests.ListAsync(source.Keys, before, PageSize(limit));
            return Results.Json(new
            {
                items = page.Select(request => new
                {
                    id = request.Id,
                    receivedAt = request.ReceivedAt,
                    method = request.Method,
                    path = request.Path,
                    query = request.Query,
                    headers = request.Headers.Select(header => new[] { header.Key, header.Value }),
                    body = RequestStore.BodyText(request),
                    verification = request.Verification,
                }),
                next = page.Count == PageSize(limit) ? page[^1].Id : null,
            });
        });

        api.MapGet("/connections/{ns}/{name}/events", async (string ns, string name, string? state, string? cursor, string? limit) =>
        {
            if (!TryConnection(services, ns, name, out var connection, out var problem))
            {
                return problem;
            }

            if (state is not null && state is not (EventStates.Pending or EventStates.Scheduled or EventStates.Delivered or EventStates.DeadLettered))
            {
                return BadRequest($"state \"{state}\" is unknown: use pending, scheduled, delivered or deadLettered");
            }

            if (cursor is not null && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return BadRequest($"cursor \"{cursor}\" is invalid: pass the next value of the previous page");
            }

            var (page, next) = await services.Events.ListAsync(connection.Keys, state, cursor, PageSize(limit));
            return Results.Json(new { items = page, next });
        });

        api.MapGet("/connections/{ns}/{name}/events/{eventId}", async (string ns, string name, string eventId) =>
        {
            if (!TryConnection(services, ns, name, out var connection, out var problem))
            {
                return problem;
            }

            var stored = await services.Events.GetAsync(connection.Keys, eventId);
            if (stored is null)
            {
                return Results.Json(new ErrorBody($"Event {eventId} of connection {ns}/{name} is not stored: it never existed or retention removed it."), statusCode: 404);
            }

            var attempts = await services.Events.GetAttemptsAsync(connection.Keys, eventId);
            return Results.Json(new { @event = stored, attempts });
        });

        api.MapGet("/connections/{ns}/{name}/events/{eventId}/attempts", async (string ns, string name, string eventId) =>
            TryConnection(services, ns, name, out var connection, out var problem)
                ? Results.Json(await services.Events.GetAttemptsAsync(connection.Keys, eventId))
                : problem);

        api.MapPost("/connections/{ns}/{name}/events/{eventId}/retry", async (string ns, string name, string eventId) =>
        {
            if (!TryConnection(services, ns, name, out var connection, out var problem))
            {
                return problem;
            }

            var (matched, enqueued) = await services.Events.ReenqueueAsync(connection, [eventId], "all");
            if (matched == 0)
            {
                return Results.Json(new ErrorBody($"Event {eventId} of connection {ns}/{name} is not stored: it never existed or retention removed it."), statusCode: 404);
            }

            services.Metrics.EventsReplayed.WithLabels(connection.Name).Inc(enqueued);
            return Results.Json(new { eventId, enqueued = enqueued == 1, message = enqueued == 1 ? "The event is queued for delivery." : "The event is already waiting for delivery." }, statusCode: 202);
        });

        api.MapGet("/connections/{ns}/{name}/deadletters", async (string ns, string name, string? before, string? limit) =>
        {
            if (!TryConnection(services, ns, name, out var connection, out var problem))
            {
                return problem;
            }

            if (before is not null && !StreamIds.IsValid(before))
            {
                return BadRequest($"before \"{before}\" is not a dead-letter id: use the id of the last entry of the previous page");
            }

            var page = await services.Events.ListDeadLettersAsync(connection.Keys, before, PageSize(limit));
            return Results.Json(new { items = page, next = page.Count == PageSize(limit) ? page[^1].Id : null });
        });

        api.MapPost("/connections/{ns}/{name}/replays", async (string ns, string name, ReplayRequestBody body) =>
        {
            if (!TryConnection(services, ns, name, out var connection, out var problem))
            {
                return problem;
            }

            if (ReplayRequestBody.Validate(body) is { } invalid)
            {
                return BadRequest(invalid);
            }

            var now = services.Clock.GetUtcNow();
            var (record, created) = await services.Replays.CreateAsync(connection.Keys, body.Name!, body.From ?? DateTimeOffset.UnixEpoch, body.To ?? now, body.State!, now);
            services.ReplayWorker.Trigger();
            return Results.Json(record, statusCode: created ? 202 : 200);
        });

        api.MapGet("/connections/{ns}/{name}/replays", async (string ns, string name, string? limit) =>
            TryConnection(services, ns, name, out var connection, out var problem)
                ? Results.Json(await services.Replays.ListAsync(connection.Keys, PageSize(limit)))
                : problem);

        api.MapGet("/connections/{ns}/{name}/replays/{replay}", async (string ns, string name, string replay) =>
        {
            if (!TryConnection(services, ns, name, out var connection, out var problem))
            {
                return problem;
            }

            return await services.Replays.GetAsync(connection.Keys, replay) is { } record
                ? Results.Json(record)
                : Results.Json(new ErrorBody($"Replay {replay} of connection {ns}/{name} does not exist."), statusCode: 404);
        });
    }

    private static bool TryConnection(GatewayServices services, string ns, string name, out ConnectionRoute connection, out IResult problem)
    {
        if (services.Routes.Current.Connections.TryGetValue($"{ns}/{name}", out connection!))
        {
            problem = Results.Empty;
            return true;
        }

        problem = NotFound("Connection", ns, name);
        return false;
    }

    private static int PageSize(string? limit) =>
        int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? Math.Clamp(size, 1, MaxPageSize) : DefaultPageSize;

    /// <summary>Returns a 400 result when <paramref name="limit"/> is set but not a whole number from 1 to <see cref="MaxPageSize"/>.</summary>
    private static IResult? InvalidLimit(string? limit) =>
        limit is null || (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize)
            ? null
            : BadRequest($"limit \"{limit}\" is invalid: use a whole number from 1 to {MaxPageSize}");

    private static IResult NotFound(string kind, string ns, string name) =>
        Results.Json(new ErrorBody($"{kind} {ns}/{name} is not configured in this gateway."), statusCode: 404);

    private static IResult BadRequest(string message) => Results.Json(new ErrorBody(message), statusCode: 400);

    public sealed record ErrorBody(string Error);
}

/// <summary>
/// The body of a replay request: a unique name, a time range of receive times, and which events to replay.
/// </summary>
public sealed class ReplayRequestBody
{
    public string? Name { get; set; }

    public DateTimeOffset? From { get; set; }

    public DateTimeOffset? To { get; set; }

    /// <summary>deadLettered, failed or all.</summary>
    public string? State { get; set; }

    /// <summary>Returns a message naming the first invalid field, or null when the body is valid.</summary>
    public static string? Validate(ReplayRequestBody body)
    {
        if (string.IsNullOrEmpty(body.Name) || body.Name.Length > 253 || !body.Name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
        {
            return "name is missing or invalid: use lower-case letters, digits, '-' and '.', at most 253 characters";
        }

        if (body.State is null || !ReplayValues.States.Contains(body.State))
        {
            return $"state \"{body.State}\" is not allowed: use {string.Join(", ", ReplayValues.States)}";
        }

        if (body.From is { } from && body.To is { } to && from > to)
        {
            return "from is later than to: give the earlier time as from";
        }

        return null;
    }
}
