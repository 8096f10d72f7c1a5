using FastHook.Operator.GatewayObjects;

namespace FastHook.Operator.Tests.Reconcilers;

/// <summary>
/// How <see cref="GatewaySettings.Load"/> reports mistakes in the settings file, and the keys added for the
/// Helm chart: image pull secrets, the Ingress path type and the security contexts.
/// </summary>
public sealed class GatewaySettingsLoadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fasthook-settings-").FullName;

    [Fact]
    public void UnknownKey_NamesFileAndFix()
    {
        var path = Write("instance: hooks\nreplica: 3\n");

        var error = Assert.Throws<InvalidDataException>(() => GatewaySettings.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown key \"replica\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("allowed at the top level", error.Message, StringComparison.Ordinal);
        Assert.Contains("replicas", error.Message, StringComparison.Ordinal);
        Assert.Contains("Correct or remove the key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownNestedKey_NamesFullPath()
    {
        var path = Write("ingress:\n  host: hooks.example.com\n  tlsSecret: hooks-tls\n");

        var error = Assert.Throws<InvalidDataException>(() => GatewaySettings.Load(path));

        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown key \"ingress.tlsSecret\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("allowed in ingress are", error.Message, StringComparison.Ordinal);
        Assert.Contains("tlsSecretName", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKubernetesField_UsesApiFieldNames()
    {
        var path = Write("securityContext: {readOnlyRootFileSystem: true}\n");

        var error = Assert.Throws<InvalidDataException>(() => GatewaySettings.Load(path));

        Assert.Contains("unknown key \"securityContext.readOnlyRootFileSystem\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("readOnlyRootFilesystem", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKeyInListItem_NamesItemIndex()
    {
        var path = Write("""
            topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: kubernetes.io/hostname
              whenUnsatisfiable: ScheduleAnyway
            - maxSkew: 1
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: ScheduleAnyway
              labelSelectr: {matchLabels: {app: x}}
            """);

        var error = Assert.Throws<InvalidDataException>(() => GatewaySettings.Load(path));

        Assert.Contains("unknown key \"topologySpreadConstraints[1].labelSelectr\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnnotationKeys_AreNotChecked()
    {
        var path = Write("service: {annotations: {service.beta.kubernetes.io/aws-load-balancer-type: nlb}}\n");

        var settings = GatewaySettings.Load(path);

        Assert.Equal("nlb", settings.Service.Annotations["service.beta.kubernetes.io/aws-load-balancer-type"]);
    }

    [Fact]
    public void InvalidValue_NamesFileLineAndColumn()
    {
        var path = Write("replicas: three\n");

        var error = Assert.Throws<InvalidDataException>(() => GatewaySettings.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 1, column 11", error.Message, StringComparison.Ordinal);
        Assert.Contains("three", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralDocuments_AreRejected()
    {
        var path = Write("replicas: 1\n---\nreplicas: 2\n");

        var error = Assert.Throws<InvalidDataException>(() => GatewaySettings.Load(path));

        Assert.Contains("contains 2 YAML documents", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFileAndEmptySections_UseDefaults()
    {
        var empty = GatewaySettings.Load(Write(""));
        var emptySections = GatewaySettings.Load(Write("service:\npodSecurityContext:\nresources: {requests: {cpu: 1}}\n"));

        Assert.Equal(2, empty.Replicas);
        Assert.Equal("ClusterIP", emptySections.Service.Type);
        Assert.Equal(65532, emptySections.PodSecurityContext.RunAsUser);
        Assert.Equal("1", emptySections.Resources.Requests["cpu"]);
        Assert.False(emptySections.Resources.Requests.ContainsKey("memory"));
        Assert.Equal("512Mi", emptySections.Resources.Limits["memory"]);
    }

    [Theory]
    [InlineData("instance: Hooks\n", "instance \"Hooks\" is invalid")]
    [InlineData("instance: a-very-long-instance-name-that-does-not-fit-any-more\n", "at most 47")]
    [InlineData("imagePullPolicy: Sometimes\n", "imagePullPolicy \"Sometimes\" is not allowed")]
    [InlineData("podDisruptionBudget: {maxUnavailable: half}\n", "podDisruptionBudget.maxUnavailable \"half\" is invalid")]
    [InlineData("ingress: {host: hooks.example.com, pathType: Glob}\n", "ingress.pathType \"Glob\" is not allowed")]
    [InlineData("adminToken: {name: ''}\n", "adminToken.name or adminToken.key is missing")]
    public void InvalidSetting_IsRejectedWithReason(string yaml, string expected)
    {
        var path = Write(yaml);

        var error = Assert.Throws<InvalidDataException>(() => GatewaySettings.Load(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChartKeys_ReachGatewayObjects()
    {
        var path = Write("""
            imagePullSecrets: [{name: registry-credentials}]
            ingress: {host: hooks.example.com, path: /hooks, pathType: Exact}
            podSecurityContext: {runAsNonRoot: true, supplementalGroups: [4000]}
            securityContext: {runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
            topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: DoNotSchedule
              labelSelector:
                matchExpressions: [{key: app.kubernetes.io/component, operator: In, values: [gateway]}]
            """);

        var settings = GatewaySettings.Load(path);
        var builder = new GatewayObjectBuilder(settings, "fasthook-system");
        var pod = builder.Deployment().Spec.Template.Spec;
        var ingress = builder.Ingress()!;

        Assert.Equal("registry-credentials", Assert.Single(pod.ImagePullSecrets).Name);
        Assert.Equal("Exact", ingress.Spec.Rules[0].Http.Paths[0].PathType);
        Assert.Equal([4000L], pod.SecurityContext.SupplementalGroups);
        Assert.Null(pod.SecurityContext.RunAsUser);
        Assert.Equal(["ALL"], pod.Containers[0].SecurityContext.Capabilities.Drop);
        Assert.Equal("In", pod.TopologySpreadConstraints[0].LabelSelector.MatchExpressions[0].OperatorProperty);
    }

    [Fact]
    public void Defaults_AreRestricted()
    {
        var pod = new GatewayObjectBuilder(new GatewaySettings(), "fasthook-system").Deployment().Spec.Template.Spec;
        var container = pod.Containers[0].SecurityContext;

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.True(container.ReadOnlyRootFilesystem);
        Assert.False(container.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.Capabilities.Drop);
        Assert.Null(pod.ImagePullSecrets);
    }

    [Fact]
    public void Deployment_MountsWritableTmp()
    {
        var pod = new GatewayObjectBuilder(new GatewaySettings(), "fasthook-system").Deployment().Spec.Template.Spec;

        var mount = Assert.Single(pod.Containers[0].VolumeMounts, mount => mount.MountPath == "/tmp");
        var volume = Assert.Single(pod.Volumes, volume => volume.Name == mount.Name);
        Assert.NotNull(volume.EmptyDir);
        Assert.NotEqual(true, mount.ReadOnlyProperty);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_folder, $"gateway-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
