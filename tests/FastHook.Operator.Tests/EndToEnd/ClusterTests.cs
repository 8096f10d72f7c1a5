using System.Net;
using FastHook.Api.V1Alpha1;
using FastHook.Operator.Hosting;
using FastHook.Operator.Resources;
using FastHook.Operator.Tests.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Eventually = FastHook.Operator.Tests.Infrastructure.Eventually;

namespace FastHook.Operator.Tests.EndToEnd;

/// <summary>
/// The operator against a real cluster, in a namespace of its own that is deleted afterwards.
/// </summary>
/// <remarks>
/// NOTE: this test has run against the API emulator through a kubeconfig, never against a real cluster, so
/// cluster defaults, admission and RBAC may still make it fail.
/// </remarks>
[Trait("Category", "Cluster")]
public sealed class ClusterTests
{
    [ClusterFact]
    public async Task Cluster_MissingDestinationThenReadyAndConfigured()
    {
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(Environment.GetEnvironmentVariable(ClusterFactAttribute.Variable));
        using var client = new Kubernetes(configuration);
        using var loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Warning));
        var ns = "fasthook-e2e-" + Guid.NewGuid().ToString("N")[..6];
        await InstallCrdsIfMissingAsync(client);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });

        var options = OperatorFixture.TestOptions();
        options.GatewayNamespace = ns;
        options.Namespaces = [ns];
        options.MetricsUrls = "";
        var host = await OperatorHost.StartAsync(options, client, loggers);
        try
        {
            var secret = TestResources.Secret("github-webhook", "secret", "e2e-secret");
            secret.Metadata.NamespaceProperty = ns;
            await client.CoreV1.CreateNamespacedSecretAsync(secret, ns);
            await CreateAsync(client, ns, TestResources.Source("github"));
            await CreateAsync(client, ns, TestResources.Connection("route", "github", "receiver"));

            var missing = await Eventually.GetAsync(
                () => GetAsync<Connection>(client, ns, "route"),
                value => OperatorFixture.Condition(value.Status, "Ready") is { Status: "False", Reason: "DestinationNotFound" },
                timeout: TimeSpan.FromSeconds(60),
                description: "Connection Ready=False with DestinationNotFound");
            Assert.Contains($"Destination {ns}/receiver", OperatorFixture.Condition(missing.Status, "Ready")!.Message, StringComparison.Ordinal);

            await CreateAsync(client, ns, TestResources.Destination("receiver"));
            await Eventually.GetAsync(
                () => GetAsync<Connection>(client, ns, "route"),
                value => OperatorFixture.IsReady(value.Status),
                timeout: TimeSpan.FromSeconds(60),
                description: "Connection Ready");
            var routes = await client.CoreV1.ReadNamespacedConfigMapAsync("fasthook-gateway-routes", ns);
            Assert.Contains("name: route", routes.Data["routes.yaml"], StringComparison.Ordinal);
            Assert.DoesNotContain("e2e-secret", routes.Data["routes.yaml"], StringComparison.Ordinal);
            var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("fasthook-gateway", ns);
            Assert.Equal("gateway", deployment.Metadata.Labels["app.kubernetes.io/component"]);

            // The finalizer needs the running operator, so the Connection goes before the operator stops.
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ns, CustomResourceKind.Connections.Plural, "route");
            await Eventually.GetAsync(
                () => client.CustomObjects.ListNamespacedCustomObjectAsync<ResourceList<Connection>>(ApiGroup.Group, ApiGroup.Version, ns, CustomResourceKind.Connections.Plural),
                list => list.Items.Count == 0,
                timeout: TimeSpan.FromSeconds(60),
                description: "the Connection deleted");
        }
        finally
        {
            await host.DisposeAsync();
            await client.CoreV1.DeleteNamespaceAsync(ns);
        }
    }

    private static async Task InstallCrdsIfMissingAsync(IKubernetes client)
    {
        try
        {
            await FastHookCrds.InstallAsync(client);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Installed already, by the chart or an earlier run.
        }
    }

    private static Task<T> CreateAsync<T>(IKubernetes client, string ns, T resource)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        resource.Metadata.NamespaceProperty = ns;
        return client.CustomObjects.CreateNamespacedCustomObjectAsync<T>(resource, ApiGroup.Group, ApiGroup.Version, ns, CustomResourceKind.Of(resource.Kind).Plural);
    }

    private static Task<T> GetAsync<T>(IKubernetes client, string ns, string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<T>(ApiGroup.Group, ApiGroup.Version, ns, CustomResourceKind.Connections.Plural, name);
}
