using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace FastHook.Operator.GatewayObjects;

/// <summary>
/// How the operator runs the gateway, read from the settings file (YAML, camelCase keys) that the Helm chart mounts.
/// </summary>
public sealed class GatewaySettings
{
    /// <summary>The <c>app.kubernetes.io/instance</c> label and the first part of every object name.</summary>
    public string Instance { get; set; } = "fasthook";

    public string Image { get; set; } = "ghcr.io/fasthook/fasthook:latest";

    public string ImagePullPolicy { get; set; } = "IfNotPresent";

    public int Replicas { get; set; } = 2;

    public ResourceSettings Resources { get; set; } = new();

    public ServiceSettings Service { get; set; } = new();

    public IngressSettings? Ingress { get; set; }

    /// <summary>The ingest URL's scheme and host as providers reach it; derived from the ingress or the Service when unset.</summary>
    public string? PublicUrl { get; set; }

    public DisruptionBudgetSettings PodDisruptionBudget { get; set; } = new();

    /// <summary>Topology spread constraints copied to the pod template as written.</summary>
    public List<V1TopologySpreadConstraint> TopologySpreadConstraints { get; set; } = [];

    public SecuritySettings Security { get; set; } = new();

    /// <summary>The Secret key holding the gateway's Redis URL.</summary>
    public SecretKeySettings Redis { get; set; } = new() { Name = "fasthook-redis", Key = "url" };

    /// <summary>The Secret key holding the admin API token; the gateway requires one because it listens beyond loopback.</summary>
    public SecretKeySettings AdminToken { get; set; } = new() { Name = "fasthook-admin-token", Key = "token" };

    /// <summary>The first part of every Redis key, shared by the gateway and the operator.</summary>
    public string KeyPrefix { get; set; } = "fh";

    /// <summary>The gateway pods' service account, which needs get/list/watch on its ConfigMap and Secret.</summary>
    public string ServiceAccountName { get; set; } = "fasthook-gateway";

    public int IngestPort { get; set; } = 8080;

    public int ManagementPort { get; set; } = 9090;

    public static GatewaySettings Load(string path)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        GatewaySettings settings;
        try
        {
            settings = deserializer.Deserialize<GatewaySettings?>(File.ReadAllText(path)) ?? new GatewaySettings();
        }
        catch (YamlException exception)
        {
            throw new InvalidDataException($"{path}: line {exception.Start.Line}: {exception.InnerException?.Message ?? exception.Message}", exception);
        }

        settings.Validate(path);
        return settings;
    }

    public void Validate(string source)
    {
        if (Replicas < 0)
        {
            throw new InvalidDataException($"{source}: replicas {Replicas} is invalid: use 0 or more");
        }

        if (PodDisruptionBudget.MinAvailable is not null && PodDisruptionBudget.MaxUnavailable is not null)
        {
            throw new InvalidDataException($"{source}: podDisruptionBudget sets both minAvailable and maxUnavailable: set one");
        }

        if (Service.Type is not ("ClusterIP" or "NodePort" or "LoadBalancer"))
        {
            throw new InvalidDataException($"{source}: service.type \"{Service.Type}\" is not allowed: use ClusterIP, NodePort or LoadBalancer");
        }

        if (string.IsNullOrEmpty(Redis.Name) || string.IsNullOrEmpty(Redis.Key))
        {
            throw new InvalidDataException($"{source}: redis.name or redis.key is missing: name the Secret and the key that contain the Redis URL");
        }
    }
}

public sealed class ResourceSettings
{
    public Dictionary<string, string> Requests { get; set; } = new() { ["cpu"] = "100m", ["memory"] = "128Mi" };

    public Dictionary<string, string> Limits { get; set; } = new() { ["memory"] = "512Mi" };
}

public sealed class ServiceSettings
{
    public string Type { get; set; } = "ClusterIP";

    public int Port { get; set; } = 80;

    public Dictionary<string, string> Annotations { get; set; } = [];
}

public sealed class IngressSettings
{
    public string Host { get; set; } = "";

    public string Path { get; set; } = "/";

    public string? ClassName { get; set; }

    /// <summary>The Secret with the TLS certificate; plain HTTP when unset.</summary>
    public string? TlsSecretName { get; set; }

    public Dictionary<string, string> Annotations { get; set; } = [];
}

public sealed class DisruptionBudgetSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>A count or a percentage ("50%").</summary>
    public string? MinAvailable { get; set; }

    /// <summary>A count or a percentage; 1 when neither this nor minAvailable is set.</summary>
    public string? MaxUnavailable { get; set; }
}

public sealed class SecuritySettings
{
    public long RunAsUser { get; set; } = 65532;

    public long RunAsGroup { get; set; } = 65532;

    public long FsGroup { get; set; } = 65532;

    public bool ReadOnlyRootFilesystem { get; set; } = true;
}

public sealed class SecretKeySettings
{
    public string Name { get; set; } = "";

    public string Key { get; set; } = "";
}
