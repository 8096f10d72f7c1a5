using System.Globalization;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Catalog;
using FastHook.KubeEmulator.Selectors;
using FastHook.KubeEmulator.Storage;
using FastHook.KubeEmulator.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FastHook.KubeEmulator.Http;

/// <summary>
/// Serves every request: discovery documents, the resource verbs, and watch streams. It records each request
/// and applies armed faults before touching the store.
/// </summary>
internal sealed partial class RequestRouter(
    ObjectStore store,
    ResourceCatalog catalog,
    FaultInjector faults,
    RequestLog log,
    WatchStreamer watches,
    ILogger logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var watchQuery = IsTrue(request.Query["watch"]);
        var info = RequestInfo.Parse(request.Method, request.Path.Value ?? "", watchQuery);
        try
        {
            if (info is null)
            {
                await ServeNonResourceAsync(context);
            }
            else
            {
                await ServeResourceAsync(context, info);
            }
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await WriteJsonAsync(context, e.Code, e.ToStatus());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.RequestFailed(logger, request.Method, request.Path.Value ?? "", e);
            if (context.Response.HasStarted)
            {
                // A watch stream is half written, so dropping the connection is all that is left to do.
                context.Abort();
                return;
            }

            var status = StatusObjects.Failure(500, "InternalError",
                $"the emulator failed to serve {request.Method} {request.Path}: {e.Message}", null);
            await WriteJsonAsync(context, 500, status);
        }
        finally
        {
            log.Add(new RecordedRequest(
                DateTimeOffset.UtcNow,
                info?.Verb ?? "get",
                request.Method,
                request.Path.Value ?? "",
                request.QueryString.Value ?? "",
                request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
                info?.Group ?? "",
                info?.Version ?? "",
                info?.Resource ?? "",
                info?.Subresource,
                info?.Namespace,
                info?.Name,
                context.Response.StatusCode));
        }
    }

    private async Task ServeNonResourceAsync(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "").TrimEnd('/');
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var types = catalog.Snapshot();
        JsonObject? document = parts switch
        {
            ["api"] => DiscoveryDocuments.CoreVersions(context.Request.Host.Value ?? ""),
            ["api", var version] => DiscoveryDocuments.ResourceList("", version, types),
            ["apis"] => DiscoveryDocuments.GroupList(types),
            ["apis", var group] => DiscoveryDocuments.GroupDocument(group, types),
            ["apis", var group, var version] => DiscoveryDocuments.ResourceList(group, version, types),
            ["version"] => VersionDocument(),
            _ => null,
        };

        if (parts is ["healthz" or "livez" or "readyz"])
        {
            context.Response.ContentType = MediaTypeNames.Text.Plain;
            await context.Response.WriteAsync("ok");
            return;
        }

        if (document is null)
        {
            throw ApiErrors.ResourceNotFound(path);
        }

        await WriteJsonAsync(context, 200, document);
    }

    private async Task ServeResourceAsync(HttpContext context, RequestInfo info)
    {
        var type = catalog.Find(info.Group, info.Version, info.Resource)
            ?? throw ApiErrors.ResourceNotFound(context.Request.Path.Value ?? "");
        CheckSubresource(type, info);

        if (faults.TryTake(type.Kind, info.Verb, info.Subresource) is { } faultCode)
        {
            throw InjectedFault(faultCode, type, info);
        }

        var scope = new ResourceScope(type, info.Version, type.Namespaced ? info.Namespace : null);
        var query = context.Request.Query;
        var dryRun = query["dryRun"].ToString() == "All";

        switch (info.Verb)
        {
            case "get":
                await WriteJsonAsync(context, 200, store.Get(scope, info.Name!));
                break;
            case "list":
                await WriteJsonAsync(context, 200, store.List(scope,
                    LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"], type),
                    ParseInt(query["limit"], "limit"), query["continue"]));
                break;
            case "watch":
                await watches.StreamAsync(context, scope, ReadSelectors(query, type, info.Name));
                break;
            case "create":
                await WriteResultAsync(context, store.Create(scope, await ReadObjectAsync(context), dryRun));
                break;
            case "update":
                await WriteResultAsync(context, store.Update(scope, info.Name!, info.Subresource, await ReadObjectAsync(context), dryRun));
                break;
            case "patch":
                await WriteResultAsync(context, store.Patch(scope, info.Name!, info.Subresource, await ReadPatchAsync(context), dryRun));
                break;
            case "delete":
                await WriteResultAsync(context, store.Delete(scope, info.Name!, await ReadDeleteAsync(context), dryRun));
                break;
            case "deletecollection":
                await WriteJsonAsync(context, 200, store.DeleteCollection(scope,
                    LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"], type),
                    await ReadDeleteAsync(context), dryRun));
                break;
            default:
                throw ApiErrors.MethodNotAllowed($"{context.Request.Method} is not supported on {context.Request.Path}");
        }
    }

    private static void CheckSubresource(ResourceType type, RequestInfo info)
    {
        if (info.Subresource is null)
        {
            return;
        }

        if (info.Subresource != "status" || !type.HasStatusSubresource)
        {
            throw ApiErrors.ResourceNotFound($"{type.QualifiedResource}/{info.Subresource}");
        }

        if (info.Verb is not ("get" or "update" or "patch"))
        {
            throw ApiErrors.MethodNotAllowed($"the status subresource supports get, update and patch, not {info.Verb}");
        }
    }

    private static (LabelSelector Labels, FieldSelector Fields) ReadSelectors(IQueryCollection query, ResourceType type, string? name)
    {
        var fieldText = query["fieldSelector"].ToString();
        if (name is not null)
        {
            fieldText = fieldText.Length == 0 ? $"metadata.name={name}" : $"{fieldText},metadata.name={name}";
        }

        return (LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(fieldText, type));
    }

    private static ApiException InjectedFault(int code, ResourceType type, RequestInfo info)
    {
        var reason = code switch
        {
            400 => "BadRequest",
            403 => "Forbidden",
            404 => "NotFound",
            409 => "Conflict",
            410 => "Expired",
            422 => "Invalid",
            429 => "TooManyRequests",
            503 => "ServiceUnavailable",
            504 => "Timeout",
            _ => "InternalError",
        };
        var target = info.Name is null ? type.QualifiedResource : $"{type.QualifiedResource} \"{info.Name}\"";
        return new ApiException(code, reason, $"injected fault: {info.Verb} on {target} failed with {code}",
            new StatusDetails(info.Name, type.Group, type.Plural));
    }

    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? "application/json";
        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiErrors.UnsupportedMediaType($"the emulator accepts application/json request bodies, not {contentType}");
        }

        var body = await ReadBodyAsync(context);
        try
        {
            return JsonNode.Parse(body) as JsonObject
                ?? throw ApiErrors.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }

    private static async Task<PatchRequest> ReadPatchAsync(HttpContext context)
    {
        var mediaType = (context.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var kind = mediaType switch
        {
            "application/merge-patch+json" => PatchKind.Merge,
            "application/json-patch+json" => PatchKind.Json,
            "application/strategic-merge-patch+json" => PatchKind.StrategicMerge,
            "application/apply-patch+yaml" or "application/apply-patch+json" => PatchKind.Apply,
            _ => throw ApiErrors.UnsupportedMediaType(
                $"the patch content type \"{mediaType}\" is not supported; use application/merge-patch+json, " +
                "application/json-patch+json, application/strategic-merge-patch+json or application/apply-patch+yaml"),
        };

        var query = context.Request.Query;
        return new PatchRequest(kind, await ReadBodyAsync(context), query["fieldManager"].ToString(), IsTrue(query["force"]));
    }

    private static async Task<DeleteRequest> ReadDeleteAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var body = await ReadBodyAsync(context);
        JsonObject? options = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                options = JsonNode.Parse(body) as JsonObject;
            }
            catch (JsonException e)
            {
                throw ApiErrors.BadRequest($"the DeleteOptions body is not valid JSON: {e.Message}");
            }
        }

        var policy = Metadata.StringValue(options?["propagationPolicy"]) ?? NullIfEmpty(query["propagationPolicy"]);
        var orphan = options?["orphanDependents"] is JsonValue value && value.GetValueKind() == JsonValueKind.True || IsTrue(query["orphanDependents"]);
        if (policy is null && orphan)
        {
            policy = "Orphan";
        }

        if (policy is not (null or "Orphan" or "Background" or "Foreground"))
        {
            throw ApiErrors.BadRequest($"propagationPolicy \"{policy}\" is not supported; use Orphan, Background or Foreground");
        }

        return new DeleteRequest(
            policy,
            Metadata.StringValue(options?["preconditions"]?["uid"]),
            Metadata.StringValue(options?["preconditions"]?["resourceVersion"]));
    }

    private static JsonObject VersionDocument() => new()
    {
        ["major"] = "1",
        ["minor"] = "33",
        ["gitVersion"] = "v1.33.0-fasthook-emulator",
        ["platform"] = "linux/amd64",
    };

    private static Task WriteResultAsync(HttpContext context, WriteResult result) =>
        WriteJsonAsync(context, result.StatusCode, result.Body);

    private static async Task WriteJsonAsync(HttpContext context, int statusCode, JsonObject body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = MediaTypeNames.Application.Json;
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static int? ParseInt(string? text, string parameter)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiErrors.BadRequest($"query parameter {parameter}=\"{text}\" is not an integer");
    }

    private static bool IsTrue(string? text) => text is "true" or "1" or "True";

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Kubernetes API emulator failed to serve {Method} {Path}")]
        public static partial void RequestFailed(ILogger logger, string method, string path, Exception exception);
    }
}
