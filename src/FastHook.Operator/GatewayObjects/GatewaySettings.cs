using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using YamlDotNet.Core;

namespace FastHook.Operator.GatewayObjects;

/// <summary>
/// How the operator runs the gateway, read from the settings file (YAML, camelCase keys) that the Helm chart mounts.
/// Fields of Kubernetes types use the Kubernetes API's field names.
/// </summary>
public sealed partial class GatewaySettings
{
    /// <summary>
    /// The maximum length of an instance name. The longest object name, "&lt;instance&gt;-gateway-metrics", is 16
    /// characters longer, and Kubernetes names and label values are at most 63 characters.
    /// </summary>
    public const int MaxInstanceLength = 47;

    /// <summary>The <c>app.kubernetes.io/instance</c> label and the first part of every object name.</summary>
    public string Instance { get; set; } = "fasthook";

    public string Image { get; set; } = "ghcr.io/fasthook/fasthook:latest";

    public string ImagePullPolicy { get; set; } = "IfNotPresent";

    /// <summary>Secrets for pulling the gateway image, as <c>[{name: ...}]</c>.</summary>
    public List<V1LocalObjectReference> ImagePullSecrets { get; set; } = [];

    public int Replicas { get; set; } = 2;

    public ResourceSettings Resources { get; set; } = new();

    public ServiceSettings Service { get; set; } = new();

    public IngressSettings? Ingress { get; set; }

    /// <summary>The ingest URL's scheme and host as providers reach it; derived from the ingress or the Service when unset.</summary>
    public string? PublicUrl { get; set; }

    public DisruptionBudgetSettings PodDisruptionBudget { get; set; } = new();

    /// <summary>Topology spread constraints copied to the pod template as written.</summary>
    public List<V1TopologySpreadConstraint> TopologySpreadConstraints { get; set; } = [];

    /// <summary>The gateway pods' security context, copied as written. The default meets the restricted Pod Security Standard.</summary>
    public V1PodSecurityContext PodSecurityContext { get; set; } = DefaultPodSecurityContext();

    /// <summary>The gateway container's security context, copied as written. The default meets the restricted Pod Security Standard.</summary>
    public V1SecurityContext SecurityContext { get; set; } = DefaultSecurityContext();

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

    /// <summary>
    /// Reads and validates the settings file. Every key is optional, and an unknown key is an error, so a misspelt
    /// key cannot leave a setting at its default unnoticed.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not valid YAML, contains an unknown key or an invalid value.</exception>
    public static GatewaySettings Load(string path)
    {
        var text = File.ReadAllText(path);
        GatewaySettings settings;
        try
        {
            GatewaySettingsKeys.Check(text, path);
            settings = KubernetesYaml.Deserialize<GatewaySettings?>(text, strict: true) ?? new GatewaySettings();
        }
        catch (YamlException exception)
        {
            var detail = exception.InnerException?.Message ?? exception.Message;
            throw new InvalidDataException(
                $"{path}: line {exception.Start.Line}, column {exception.Start.Column}: {detail} Fix the file at that place; docs/operator.md describes every key.",
                exception);
        }

        settings.FillOmittedSections();
        settings.Validate(path);
        return settings;
    }

    public void Validate(string source)
    {
        if (Instance.Length > MaxInstanceLength || !DnsLabel().IsMatch(Instance))
        {
            throw new InvalidDataException(
                $"{source}: instance \"{Instance}\" is invalid: use at most {MaxInstanceLength} lowercase letters, digits and '-', starting and ending with a letter or digit");
        }

        if (Replicas < 0)
        {
            throw new InvalidDataException($"{source}: replicas {Replicas} is invalid: use 0 or more");
        }

        if (ImagePullPolicy is not ("Always" or "IfNotPresent" or "Never"))
        {
            throw new InvalidDataException($"{source}: imagePullPolicy \"{ImagePullPolicy}\" is not allowed: use Always, IfNotPresent or Never");
        }

        if (PodDisruptionBudget.MinAvailable is not null && PodDisruptionBudget.MaxUnavailable is not null)
        {
            throw new InvalidDataException($"{source}: podDisruptionBudget sets both minAvailable and maxUnavailable: set one");
        }

        foreach (var (key, value) in new[] { ("minAvailable", PodDisruptionBudget.MinAvailable), ("maxUnavailable", PodDisruptionBudget.MaxUnavailable) })
        {
            if (value is not null && !CountOrPercentage().IsMatch(value))
            {
                throw new InvalidDataException($"{source}: podDisruptionBudget.{key} \"{value}\" is invalid: use a count such as 1 or a percentage such as \"50%\"");
            }
        }

        if (Service.Type is not ("ClusterIP" or "NodePort" or "LoadBalancer"))
        {
            throw new InvalidDataException($"{source}: service.type \"{Service.Type}\" is not allowed: use ClusterIP, NodePort or LoadBalancer");
        }

        if (Ingress is { } ingress && ingress.PathType is not ("Prefix" or "Exact" or "ImplementationSpecific"))
        {
            throw new InvalidDataException($"{source}: ingress.pathType \"{ingress.PathType}\" is not allowed: use Prefix, Exact or ImplementationSpecific");
        }

        if (string.IsNullOrEmpty(Redis.Name) || string.IsNullOrEmpty(Redis.Key))
        {
            throw new InvalidDataException($"{source}: redis.name or redis.key is missing: name the Secret and the key that contain the Redis URL");
        }

        if (string.IsNullOrEmpty(AdminToken.Name) || string.IsNullOrEmpty(AdminToken.Key))
        {
            throw new InvalidDataException($"{source}: adminToken.name or adminToken.key is missing: name the Secret and the key that contain the admin API token");
        }
    }

    /// <summary>Replaces sections written as empty (<c>service:</c> or <c>service: null</c>) with their defaults.</summary>
    private void FillOmittedSections()
    {
        var defaults = new GatewaySettings();
        ImagePullSecrets ??= defaults.ImagePullSecrets;
        Resources ??= defaults.Resources;
        Resources.Requests ??= [];
        Resources.Limits ??= [];
        Service ??= defaults.Service;
        Service.Annotations ??= [];
        if (Ingress is not null)
        {
            Ingress.Annotations ??= [];
        }

        PodDisruptionBudget ??= defaults.PodDisruptionBudget;
        TopologySpreadConstraints ??= defaults.TopologySpreadConstraints;
        PodSecurityContext ??= defaults.PodSecurityContext;
        SecurityContext ??= defaults.SecurityContext;
        Redis ??= defaults.Redis;
        AdminToken ??= defaults.AdminToken;
    }

    private static V1PodSecurityContext DefaultPodSecurityContext() => new()
    {
        RunAsNonRoot = true,
        RunAsUser = 65532,
        RunAsGroup = 65532,
        FsGroup = 65532,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    private static V1SecurityContext DefaultSecurityContext() => new()
    {
        RunAsNonRoot = true,
        ReadOnlyRootFilesystem = true,
        AllowPrivilegeEscalation = false,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[0-9]+%?$", RegexOptions.CultureInvariant)]
    private static partial Regex CountOrPercentage();
}

public sealed class ResourceSettings
{
    /// <summary>Quantities by resource name, such as cpu: 100m.</summary>
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

    /// <summary>Prefix, Exact or ImplementationSpecific, as in a Kubernetes Ingress path.</summary>
    public string PathType { get; set; } = "Prefix";

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

public sealed class SecretKeySettings
{
    public string Name { get; set; } = "";

    public string Key { get; set; } = "";
}
