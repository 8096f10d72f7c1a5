using FastHook.Operator.GatewayObjects;

namespace FastHook.Operator.Tests.Reconcilers;

public sealed class GatewaySettingsTests
{
    private const string FullSettings = """
        instance: hooks
        image: registry.example.com/fasthook:1.2.3
        replicas: 3
        resources: {requests: {cpu: 200m, memory: 256Mi}, limits: {memory: 1Gi}}
        service: {type: LoadBalancer, port: 443, annotations: {service.beta.kubernetes.io/aws-load-balancer-type: nlb}}
        ingress: {host: hooks.example.com, path: /, className: nginx, tlsSecretName: hooks-tls}
        podDisruptionBudget: {minAvailable: "50%"}
        topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels: {app.kubernetes.io/name: fasthook}
        podSecurityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000}
        securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
        redis: {name: redis-credentials, key: url}
        """;

    [Fact]
    public void GatewaySettings_FullFileBuildsObjects()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, FullSettings);

        var settings = GatewaySettings.Load(path);
        var builder = new GatewayObjectBuilder(settings, "fasthook-system");
        var deployment = builder.Deployment();
        var budget = builder.DisruptionBudget();
        var ingress = builder.Ingress();
        var service = builder.IngestService();

        Assert.Equal(3, deployment.Spec.Replicas);
        Assert.Equal("registry.example.com/fasthook:1.2.3", deployment.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal("topology.kubernetes.io/zone", Assert.Single(deployment.Spec.Template.Spec.TopologySpreadConstraints).TopologyKey);
        Assert.Equal("redis-credentials", deployment.Spec.Template.Spec.Containers[0].Env[0].ValueFrom.SecretKeyRef.Name);
        Assert.Equal(1000, deployment.Spec.Template.Spec.SecurityContext.RunAsUser);
        Assert.Equal("50%", budget!.Spec.MinAvailable.Value);
        Assert.Equal("hooks.example.com", ingress!.Spec.Rules[0].Host);
        Assert.Equal("LoadBalancer", service.Spec.Type);
        Assert.Equal("nlb", service.Metadata.Annotations["service.beta.kubernetes.io/aws-load-balancer-type"]);
        Assert.Equal("https://hooks.example.com", builder.IngestBaseUrl);
    }

    [Fact]
    public void GatewaySettings_UnknownKeyIsRejected()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "replica: 3\n");

        var error = Assert.Throws<InvalidDataException>(() => GatewaySettings.Load(path));

        Assert.Contains("replica", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeploymentHash_IgnoresSettingsOutsidePods()
    {
        var plain = new GatewayObjectBuilder(new GatewaySettings(), "fasthook-system").Deployment();
        var withIngress = new GatewayObjectBuilder(new GatewaySettings { Ingress = new IngressSettings { Host = "hooks.example.com" } }, "fasthook-system").Deployment();
        var moreReplicas = new GatewayObjectBuilder(new GatewaySettings { Replicas = 5 }, "fasthook-system").Deployment();
        var newImage = new GatewayObjectBuilder(new GatewaySettings { Image = "fasthook:2" }, "fasthook-system").Deployment();

        string PodHash(k8s.Models.V1Deployment deployment) => deployment.Spec.Template.Metadata.Annotations[GatewayObjectBuilder.SettingsHashAnnotation];

        Assert.Equal(PodHash(plain), PodHash(withIngress));
        Assert.Equal(PodHash(plain), PodHash(moreReplicas));
        Assert.NotEqual(PodHash(plain), PodHash(newImage));
    }
}
