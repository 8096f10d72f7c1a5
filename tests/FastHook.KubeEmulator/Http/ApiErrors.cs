using FastHook.KubeEmulator.Catalog;

namespace FastHook.KubeEmulator.Http;

/// <summary>
/// The failures the emulator reports, with the HTTP code, StatusReason and details the real API server uses
/// for each. The message wording is the emulator's own.
/// </summary>
internal static class ApiErrors
{
    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedResource} \"{name}\" not found",
            new StatusDetails(name, type.Group, type.Plural));

    public static ApiException NamespaceNotFound(string name) =>
        new(404, "NotFound", $"namespaces \"{name}\" not found", new StatusDetails(name, "", "namespaces"));

    public static ApiException ResourceNotFound(string path) =>
        new(404, "NotFound", $"the server could not find the requested resource: {path}",
            new StatusDetails(null, "", ""));

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedResource} \"{name}\" already exists",
            new StatusDetails(name, type.Group, type.Plural));

    public static ApiException Conflict(ResourceType type, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": {why}",
            new StatusDetails(name, type.Group, type.Plural));

    public static ApiException StaleResourceVersion(ResourceType type, string name, string sent, string current) =>
        Conflict(type, name,
            $"the object has been modified (resourceVersion {sent} is stale, the current one is {current}); " +
            "read the latest version and apply the change to it");

    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<StatusCause> causes)
    {
        var listed = causes.Count == 1
            ? $"{causes[0].Field}: {causes[0].Message}"
            : "[" + string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}")) + "]";
        return new ApiException(422, "Invalid", $"{type.QualifiedKind} \"{name}\" is invalid: {listed}",
            new StatusDetails(name, type.Group, type.Kind, causes));
    }

    public static ApiException Invalid(ResourceType type, string name, string reason, string field, string message) =>
        Invalid(type, name, [new StatusCause(reason, message, field)]);

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Forbidden(ResourceType type, string name, string why) =>
        new(403, "Forbidden", $"{type.QualifiedResource} \"{name}\" is forbidden: {why}",
            new StatusDetails(name, type.Group, type.Plural));

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException UnsupportedMediaType(string message) => new(415, "UnsupportedMediaType", message);

    public static ApiException UnprocessablePatch(string message) => new(422, "Invalid", message);
}
