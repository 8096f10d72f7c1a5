using System.Text;
using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Catalog;

namespace FastHook.KubeEmulator.Storage;

/// <summary>
/// The few type-specific changes the API server makes on write that an operator can observe: Secret
/// stringData folded into data, a Service's allocated clusterIP, and a Namespace's phase.
/// </summary>
/// <remarks>
/// NOTE: the API server fills many defaults into built-in types (a Deployment's strategy, a container's
/// imagePullPolicy, a Service's sessionAffinity, ...). The emulator stores built-in objects as sent, so code
/// that compares the desired spec with the stored one finds no drift here where a real cluster shows some.
/// </remarks>
internal sealed class BuiltInRules
{
    private int _nextServiceHost = 10;

    public void BeforeCreate(ResourceType type, JsonObject obj)
    {
        switch (type.Group, type.Plural)
        {
            case ("", "secrets"):
                FoldStringData(obj);
                obj["type"] ??= "Opaque";
                break;
            case ("", "services"):
                AllocateClusterIp(obj);
                break;
            case ("", "namespaces"):
                var spec = ChildObject(obj, "spec");
                spec["finalizers"] ??= new JsonArray("kubernetes");
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
        }
    }

    public static void BeforeUpdate(ResourceType type, JsonObject old, JsonObject updated)
    {
        switch (type.Group, type.Plural)
        {
            case ("", "secrets"):
                FoldStringData(updated);
                break;
            case ("", "services"):
                KeepClusterIp(old, updated);
                break;
        }
    }

    /// <summary>Moves stringData into data as base64, overriding data keys of the same name, as the API server does.</summary>
    private static void FoldStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            secret.Remove("stringData");
            return;
        }

        var data = ChildObject(secret, "data");
        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Metadata.StringValue(value) ?? ""));
        }

        secret.Remove("stringData");
    }

    /// <summary>Gives a ClusterIP Service an address from 10.96.0.0/16. It is a value in the object, and nothing listens there.</summary>
    private void AllocateClusterIp(JsonObject service)
    {
        var spec = ChildObject(service, "spec");
        var type = Metadata.StringValue(spec["type"]) ?? "ClusterIP";
        if (type == "ExternalName" || Metadata.StringValue(spec["clusterIP"]) is { Length: > 0 })
        {
            return;
        }

        var host = _nextServiceHost++;
        var address = $"10.96.{host / 256 % 256}.{host % 256}";
        spec["clusterIP"] = address;
        spec["clusterIPs"] = new JsonArray(address);
    }

    /// <summary>Keeps the allocated clusterIP when an update leaves it out, as the API server does.</summary>
    private static void KeepClusterIp(JsonObject old, JsonObject updated)
    {
        if (old["spec"] is not JsonObject oldSpec || updated["spec"] is not JsonObject newSpec)
        {
            return;
        }

        if (Metadata.StringValue(newSpec["clusterIP"]) is not { Length: > 0 } && oldSpec["clusterIP"] is { } clusterIp)
        {
            newSpec["clusterIP"] = clusterIp.DeepClone();
            newSpec["clusterIPs"] = oldSpec["clusterIPs"]?.DeepClone();
        }
    }

    private static JsonObject ChildObject(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject child)
        {
            return child;
        }

        child = new JsonObject();
        parent[key] = child;
        return child;
    }
}
