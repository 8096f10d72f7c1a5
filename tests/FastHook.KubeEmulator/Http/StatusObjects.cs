using System.Text.Json.Nodes;

namespace FastHook.KubeEmulator.Http;

/// <summary>
/// Builds metav1 Status objects, the body the API server sends with every failure and with some deletes.
/// </summary>
internal static class StatusObjects
{
    public static JsonObject Failure(int code, string reason, string message, StatusDetails? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };

        if (details is not null)
        {
            status["details"] = DetailsNode(details);
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject Success(StatusDetails details) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = DetailsNode(details),
    };

    private static JsonObject DetailsNode(StatusDetails details)
    {
        var node = new JsonObject();
        if (details.Name is not null)
        {
            node["name"] = details.Name;
        }

        node["group"] = details.Group;
        node["kind"] = details.Kind;

        if (details.Causes is { Count: > 0 } causes)
        {
            var array = new JsonArray();
            foreach (var cause in causes)
            {
                array.Add(new JsonObject
                {
                    ["reason"] = cause.Reason,
                    ["message"] = cause.Message,
                    ["field"] = cause.Field,
                });
            }

            node["causes"] = array;
        }

        return node;
    }
}
