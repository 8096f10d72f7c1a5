using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;

namespace FastHook.Operator.GatewayObjects;

/// <summary>
/// Builds the objects that run the gateway in its namespace from the settings and the routing documents.
/// Every object carries the labels that mark it as the operator's, and only objects with them are changed.
/// </summary>
public sealed class GatewayObjectBuilder(GatewaySettings settings, string gatewayNamespace)
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "fasthook-operator";
    public const string DesiredHashAnnotation = "fasthook.io/desired-hash";
    public const string SettingsHashAnnotation = "fasthook.io/settings-hash";

    private const string ConfigMountPath = "/etc/fasthook/admin";

    public string Namespace => gatewayNamespace;

    public string DeploymentName => $"{settings.Instance}-gateway";

    public string IngestServiceName => $"{settings.Instance}-gateway";

    public string MetricsServiceName => $"{settings.Instance}-gateway-metrics";

    public string RoutesConfigMapName => $"{settings.Instance}-gateway-routes";

    public string SecretsSecretName => $"{settings.Instance}-gateway-secrets";

    /// <summary>The flag value that points the gateway at its configuration: "NS/CONFIGMAP,NS/SECRET".</summary>
    public string ConfigFromApi => $"{gatewayNamespace}/{RoutesConfigMapName},{gatewayNamespace}/{SecretsSecretName}";

    /// <summary>The scheme and host providers send to, without a path.</summary>
    public string IngestBaseUrl
    {
        get
        {
            if (!string.IsNullOrEmpty(settings.PublicUrl))
            {
                return settings.PublicUrl.TrimEnd('/');
            }

            if (settings.Ingress is { Host.Length: > 0 } ingress)
            {
                return (ingress.TlsSecretName is null ? "http://" : "https://") + ingress.Host;
            }

            return $"http://{IngestServiceName}.{gatewayNamespace}.svc:{settings.Service.Port}";
        }
    }

    public Dictionary<string, string> SelectorLabels() => new(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = "fasthook",
        ["app.kubernetes.io/instance"] = settings.Instance,
        ["app.kubernetes.io/component"] = "gateway",
    };

    public Dictionary<string, string> Labels()
    {
        var labels = SelectorLabels();
        labels[ManagedByLabel] = ManagedByValue;
        return labels;
    }

    public V1ConfigMap RoutesConfigMap(string routes) => Stamp(new V1ConfigMap
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = Metadata(RoutesConfigMapName),
        Data = new Dictionary<string, string> { [RoutingDocuments.RoutesKey] = routes },
    });

    public V1Secret SecretsSecret(string secrets) => Stamp(new V1Secret
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = "Opaque",
        Metadata = Metadata(SecretsSecretName),
        Data = new Dictionary<string, byte[]> { [RoutingDocuments.SecretsKey] = Encoding.UTF8.GetBytes(secrets) },
    });

    public V1Deployment Deployment()
    {
        var container = new V1Container
        {
            Name = "gateway",
            Image = settings.Image,
            ImagePullPolicy = settings.ImagePullPolicy,
            Args =
            [
                "gateway",
                "--config-from-api", ConfigFromApi,
                "--urls", $"http://0.0.0.0:{settings.IngestPort}",
                "--management-urls", $"http://0.0.0.0:{settings.ManagementPort}",
                "--admin-token-file", $"{ConfigMountPath}/{settings.AdminToken.Key}",
                "--key-prefix", settings.KeyPrefix,
            ],
            Env =
            [
                new V1EnvVar
                {
                    Name = "FASTHOOK_REDIS_URL",
                    ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = settings.Redis.Name, Key = settings.Redis.Key } },
                },
            ],
            Ports =
            [
                new V1ContainerPort { Name = "ingest", ContainerPort = settings.IngestPort, Protocol = "TCP" },
                new V1ContainerPort { Name = "management", ContainerPort = settings.ManagementPort, Protocol = "TCP" },
            ],
            LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = Port(settings.ManagementPort) }, PeriodSeconds = 10, FailureThreshold = 3 },
            ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/readyz", Port = Port(settings.ManagementPort) }, PeriodSeconds = 5, FailureThreshold = 2 },
            Resources = new V1ResourceRequirements
            {
                Requests = settings.Resources.Requests.ToDictionary(pair => pair.Key, pair => new ResourceQuantity(pair.Value)),
                Limits = settings.Resources.Limits.ToDictionary(pair => pair.Key, pair => new ResourceQuantity(pair.Value)),
            },
            SecurityContext = settings.SecurityContext,
            VolumeMounts =
            [
                new V1VolumeMount { Name = "admin-token", MountPath = ConfigMountPath, ReadOnlyProperty = true },
                new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
            ],
        };

        var template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta
            {
                Labels = Labels(),
            },
            Spec = new V1PodSpec
            {
                ServiceAccountName = settings.ServiceAccountName,
                SecurityContext = settings.PodSecurityContext,
                ImagePullSecrets = settings.ImagePullSecrets.Count == 0 ? null : settings.ImagePullSecrets,
                Containers = [container],
                Volumes =
                [
                    new V1Volume { Name = "admin-token", Secret = new V1SecretVolumeSource { SecretName = settings.AdminToken.Name } },

                    // The default security context makes the root filesystem read-only, and the .NET runtime creates its diagnostics
                    // socket and other temporary files in /tmp.
                    new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } },
                ],
                TopologySpreadConstraints = settings.TopologySpreadConstraints.Count == 0 ? null : settings.TopologySpreadConstraints,
            },
        };

        // The pods roll only when what they run changes, because routing changes reach the gateway through the API.
        template.Metadata.Annotations = new Dictionary<string, string> { [SettingsHashAnnotation] = Hash(KubernetesJson.Serialize(template.Spec)) };

        return Stamp(new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Metadata(DeploymentName),
            Spec = new V1DeploymentSpec
            {
                Replicas = settings.Replicas,
                Selector = new V1LabelSelector { MatchLabels = SelectorLabels() },
                Template = template,
            },
        });
    }

    public V1Service IngestService()
    {
        var service = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = Metadata(IngestServiceName),
            Spec = new V1ServiceSpec
            {
                Type = settings.Service.Type,
                Selector = SelectorLabels(),
                Ports = [new V1ServicePort { Name = "ingest", Port = settings.Service.Port, TargetPort = Port(settings.IngestPort), Protocol = "TCP" }],
            },
        };
        if (settings.Service.Annotations.Count > 0)
        {
            service.Metadata.Annotations = new Dictionary<string, string>(settings.Service.Annotations, StringComparer.Ordinal);
        }

        return Stamp(service);
    }

    public V1Service MetricsService() => Stamp(new V1Service
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Metadata(MetricsServiceName),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = SelectorLabels(),
            Ports = [new V1ServicePort { Name = "metrics", Port = settings.ManagementPort, TargetPort = Port(settings.ManagementPort), Protocol = "TCP" }],
        },
    });

    public V1PodDisruptionBudget? DisruptionBudget()
    {
        var budget = settings.PodDisruptionBudget;
        if (!budget.Enabled)
        {
            return null;
        }

        var spec = new V1PodDisruptionBudgetSpec { Selector = new V1LabelSelector { MatchLabels = SelectorLabels() } };
        if (budget.MinAvailable is { } minAvailable)
        {
            spec.MinAvailable = IntOrStringOf(minAvailable);
        }
        else
        {
            spec.MaxUnavailable = IntOrStringOf(budget.MaxUnavailable ?? "1");
        }

        return Stamp(new V1PodDisruptionBudget { ApiVersion = "policy/v1", Kind = "PodDisruptionBudget", Metadata = Metadata(DeploymentName), Spec = spec });
    }

    public V1Ingress? Ingress()
    {
        if (settings.Ingress is not { Host.Length: > 0 } ingress)
        {
            return null;
        }

        var value = new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = Metadata(DeploymentName),
            Spec = new V1IngressSpec
            {
                IngressClassName = ingress.ClassName,
                Rules =
                [
                    new V1IngressRule
                    {
                        Host = ingress.Host,
                        Http = new V1HTTPIngressRuleValue
                        {
                            Paths =
                            [
                                new V1HTTPIngressPath
                                {
                                    Path = ingress.Path,
                                    PathType = ingress.PathType,
                                    Backend = new V1IngressBackend
                                    {
                                        Service = new V1IngressServiceBackend { Name = IngestServiceName, Port = new V1ServiceBackendPort { Name = "ingest" } },
                                    },
                                },
                            ],
                        },
                    },
                ],
                Tls = ingress.TlsSecretName is null ? null : [new V1IngressTLS { Hosts = [ingress.Host], SecretName = ingress.TlsSecretName }],
            },
        };
        if (ingress.Annotations.Count > 0)
        {
            value.Metadata.Annotations = new Dictionary<string, string>(ingress.Annotations, StringComparer.Ordinal);
        }

        return Stamp(value);
    }

    /// <summary>Hashes the desired object into an annotation, which later reconciles compare instead of the whole object.</summary>
    /// <remarks>
    /// A cluster fills in defaults (a Deployment's strategy, a container's pull policy), so comparing stored and
    /// desired objects field by field would see a change on every reconcile and write forever.
    /// </remarks>
    private static T Stamp<T>(T value)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        value.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        value.Metadata.Annotations.Remove(DesiredHashAnnotation);
        value.Metadata.Annotations[DesiredHashAnnotation] = Hash(KubernetesJson.Serialize(value));
        return value;
    }

    private V1ObjectMeta Metadata(string name) => new() { Name = name, NamespaceProperty = gatewayNamespace, Labels = Labels() };

    private static IntOrString Port(int port) => port;

    private static IntOrString IntOrStringOf(string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : value;

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
