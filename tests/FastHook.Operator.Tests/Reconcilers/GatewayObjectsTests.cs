using System.Text;
using FastHook.Api.V1Alpha1;
using FastHook.Operator.GatewayObjects;
using FastHook.Operator.Tests.Infrastructure;
using k8s;

namespace FastHook.Operator.Tests.Reconcilers;

public sealed class GatewayObjectsTests
{
    private static readonly string Quickstart = Path.Combine(AppContext.BaseDirectory, "quickstart");

    [Fact]
    public async Task Quickstart_BecomesDeploymentServicesAndConfiguration()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.StartOperatorAsync();

        await fixture.ApplyManifestsAsync(Quickstart);

        var ns = OperatorFixture.GatewayNamespace;
        var configMap = await Eventually.GetAsync(
            () => fixture.Client.CoreV1.ListNamespacedConfigMapAsync(ns),
            list => list.Items.Any(item => item.Data is { } data && data.TryGetValue(RoutingDocuments.RoutesKey, out var text) && text.Contains("github-to-receiver", StringComparison.Ordinal)),
            description: "the routes ConfigMap with the quickstart connection");
        var routes = configMap.Items.Single(item => item.Metadata.Name == "fasthook-gateway-routes").Data[RoutingDocuments.RoutesKey];
        Assert.Contains("kind: WebhookSource", routes, StringComparison.Ordinal);
        Assert.Contains("kind: Destination", routes, StringComparison.Ordinal);
        Assert.Contains("kind: Connection", routes, StringComparison.Ordinal);
        Assert.DoesNotContain("quickstart-github-secret", routes, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", routes, StringComparison.Ordinal);

        var secret = await fixture.Client.CoreV1.ReadNamespacedSecretAsync("fasthook-gateway-secrets", ns);
        var secrets = Encoding.UTF8.GetString(secret.Data[RoutingDocuments.SecretsKey]);
        Assert.Contains("kind: Secret", secrets, StringComparison.Ordinal);
        Assert.Contains("name: github-webhook", secrets, StringComparison.Ordinal);
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes("quickstart-github-secret")), secrets, StringComparison.Ordinal);

        var deployment = await fixture.Client.AppsV1.ReadNamespacedDeploymentAsync("fasthook-gateway", ns);
        Assert.Equal("fasthook", deployment.Metadata.Labels["app.kubernetes.io/name"]);
        Assert.Equal("fasthook", deployment.Metadata.Labels["app.kubernetes.io/instance"]);
        Assert.Equal("gateway", deployment.Metadata.Labels["app.kubernetes.io/component"]);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("9090", container.ReadinessProbe.HttpGet.Port.Value);
        Assert.Contains($"{ns}/fasthook-gateway-routes,{ns}/fasthook-gateway-secrets", container.Args);
        Assert.True(deployment.Spec.Template.Metadata.Annotations.ContainsKey(GatewayObjectBuilder.SettingsHashAnnotation));

        var ingest = await fixture.Client.CoreV1.ReadNamespacedServiceAsync("fasthook-gateway", ns);
        Assert.Equal(8080, ingest.Spec.Ports.Single().TargetPort.Value == "8080" ? 8080 : 0);
        var metrics = await fixture.Client.CoreV1.ReadNamespacedServiceAsync("fasthook-gateway-metrics", ns);
        Assert.Equal(9090, metrics.Spec.Ports.Single().Port);
        var budget = await fixture.Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("fasthook-gateway", ns);
        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);

        var source = await Eventually.GetAsync(
            () => fixture.GetAsync<WebhookSource>(WebhookSource.KindName, "github"),
            value => OperatorFixture.IsReady(value.Status),
            description: "WebhookSource github Ready");
        Assert.Equal("http://fasthook-gateway.fasthook-system.svc:80/e/default/github", source.Status.Url);
        Assert.Equal(source.Metadata.Generation, source.Status.ObservedGeneration);
    }

    [Fact]
    public async Task GatewayReconcile_SameInputsWriteNothing()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var host = await fixture.StartOperatorAsync();
        await fixture.ApplyManifestsAsync(Quickstart);
        await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "github-to-receiver"),
            value => OperatorFixture.IsReady(value.Status),
            description: "Connection Ready");
        await Task.Delay(1500);
        var objectWrites = host.Applier!.Writes;
        var statusWrites = host.StatusWriter!.Writes;
        var resourceVersion = fixture.Api.CurrentResourceVersion;

        // A second operator reconciles everything again from scratch with the same inputs.
        await fixture.StopOperatorAsync(host);
        var second = await fixture.StartOperatorAsync();
        await Eventually.TrueAsync(() => second.ReconcileCount("gateway") >= 1, description: "the gateway reconciled by the second operator");
        await Task.Delay(1500);

        Assert.True(objectWrites >= 6, $"the first operator wrote {objectWrites} objects");
        Assert.Equal(0, second.Applier!.Writes);
        Assert.Equal(0, second.StatusWriter!.Writes);
        Assert.Equal(resourceVersion, fixture.Api.CurrentResourceVersion);
        Assert.True(statusWrites > 0);
    }

    [Fact]
    public async Task GatewayReconcile_LeavesUnmanagedObjectAlone()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var ns = OperatorFixture.GatewayNamespace;
        await fixture.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new k8s.Models.V1ConfigMap { Metadata = new k8s.Models.V1ObjectMeta { Name = "fasthook-gateway-routes" }, Data = new Dictionary<string, string> { ["mine"] = "keep" } }, ns);

        await fixture.StartOperatorAsync();
        await Eventually.GetAsync(
            () => fixture.Client.AppsV1.ListNamespacedDeploymentAsync(ns),
            list => list.Items.Count == 1,
            description: "the gateway Deployment, written after the ConfigMap");

        var configMap = await fixture.Client.CoreV1.ReadNamespacedConfigMapAsync("fasthook-gateway-routes", ns);
        Assert.Equal("keep", configMap.Data["mine"]);
        Assert.False(configMap.Data.ContainsKey(RoutingDocuments.RoutesKey));
    }
}
