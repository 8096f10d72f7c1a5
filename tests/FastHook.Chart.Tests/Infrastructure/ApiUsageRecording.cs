using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Tests.Infrastructure;
using FastHook.KubeEmulator.Testing;
using FastHook.Operator.GatewayObjects;
using FastHook.Operator.Resources;
using FastHook.Operator.Tests.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Eventually = FastHook.Operator.Tests.Infrastructure.Eventually;

namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// The API calls that the operator and a gateway made in one phase of a release's life, with the chart rendering
/// that was installed during it.
/// </summary>
internal sealed record RecordedPhase(
    string Name,
    RenderedChart Chart,
    bool WatchesNamespaces,
    IReadOnlyList<ApiCall> OperatorCalls,
    IReadOnlyList<ApiCall> GatewayCalls);

/// <summary>
/// Runs the real operator and gateway against the API emulator through the life of two releases. Each phase is
/// configured from a `helm template` rendering as the chart configures the pods. The operator gets the rendered
/// settings file and arguments, and the gateway reads the ConfigMap and Secret that the operator names. Each
/// phase's clients send their own User-Agent, so the calls of the test itself are left out.
/// </summary>
/// <remarks>
/// Release one watches all namespaces: install with the defaults and a route in "default", then three upgrades
/// (more replicas, Service annotations and an Ingress; a new Ingress host; Ingress and PodDisruptionBudget off).
/// Release two is a fresh install with every optional feature and watchNamespaces, with a route in "team-a".
/// Each install also fails one status write per kind with 409, so the operator reads the resource again, and
/// deletes its Connection, so the finalizer runs.
/// </remarks>
public sealed class ApiUsageRecording : IAsyncLifetime
{
    private const string GitHubSecret = "rbac-recording-secret";
    private const string OlderOperatorHash = "older-operator";

    private static readonly string[] UpgradeValues =
    [
        "--set", "gateway.replicas=3",
        "--set", "gateway.service.annotations.example\\.com/team=platform",
        "--set", "gateway.ingress.enabled=true",
        "--set", "gateway.ingress.host=hooks.example.com",
        "--set", "gateway.podDisruptionBudget.minAvailable=null",
        "--set", "gateway.podDisruptionBudget.maxUnavailable=1",
    ];

    private readonly List<RecordedPhase> _phases = [];

    internal IReadOnlyList<RecordedPhase> Phases => _phases;

    public async Task InitializeAsync()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var receiver = await TestReceiver.StartAsync();
        await RecordAllNamespacesReleaseAsync(redis, receiver);
        await RecordWatchNamespacesReleaseAsync(redis, receiver);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task RecordAllNamespacesReleaseAsync(RedisServer redis, TestReceiver receiver)
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await InstallIngressStandInAsync(fixture.Client);
        var client = fixture.Client;
        var ns = HelmChart.Namespace;
        var gateway = new GatewayObjectBuilder(RenderedSettings.Load(HelmChart.Template()), ns);
        Task<V1Service> ReadServiceAsync(string name) => client.CoreV1.ReadNamespacedServiceAsync(name, ns);
        Task<V1Ingress> ReadIngressAsync() => client.NetworkingV1.ReadNamespacedIngressAsync(gateway.DeploymentName, ns);
        Task<V1PodDisruptionBudget> ReadBudgetAsync() => client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(gateway.DeploymentName, ns);

        await RecordPhaseAsync(fixture, redis, "install with defaults", [], phase => InstallRouteAsync(phase, "default", receiver));

        // An operator upgrade can change objects that no value changes, such as the metrics Service. A stale hash
        // marks it as written by an older operator.
        await MarkWrittenByOlderOperatorAsync(client, gateway.MetricsServiceName);
        await RecordPhaseAsync(fixture, redis, "upgrade to 3 replicas, Service annotations, an Ingress and maxUnavailable", UpgradeValues, async _ =>
        {
            await Eventually.GetAsync(
                () => ReadServiceAsync(gateway.MetricsServiceName),
                service => service.Metadata.Annotations[GatewayObjectBuilder.DesiredHashAnnotation] != OlderOperatorHash,
                description: "the metrics Service rewritten");
            await Eventually.GetAsync(
                () => ReadServiceAsync(gateway.IngestServiceName),
                service => service.Metadata.Annotations?.ContainsKey("example.com/team") == true,
                description: "the ingest Service annotated");
            await Eventually.GetAsync(
                () => client.AppsV1.ReadNamespacedDeploymentAsync(gateway.DeploymentName, ns),
                deployment => deployment.Spec.Replicas == 3,
                description: "the Deployment scaled to 3");
            await Eventually.GetAsync(ReadBudgetAsync, budget => budget.Spec.MaxUnavailable?.Value == "1", description: "the budget changed to maxUnavailable");
            await Eventually.GetAsync(() => ExistsAsync(ReadIngressAsync), exists => exists, description: "the Ingress created");
        });

        await RecordPhaseAsync(fixture, redis, "upgrade to another Ingress host", [.. UpgradeValues, "--set", "gateway.ingress.host=webhooks.example.com"], _ =>
            Eventually.GetAsync(ReadIngressAsync, ingress => ingress.Spec.Rules[0].Host == "webhooks.example.com", description: "the Ingress host changed"));

        string[] off = [.. UpgradeValues, "--set", "gateway.ingress.enabled=false", "--set", "gateway.podDisruptionBudget.enabled=false"];
        await RecordPhaseAsync(fixture, redis, "upgrade with Ingress and PodDisruptionBudget off", off, async _ =>
        {
            await Eventually.GetAsync(() => ExistsAsync(ReadIngressAsync), exists => !exists, description: "the Ingress deleted");
            await Eventually.GetAsync(() => ExistsAsync(ReadBudgetAsync), exists => !exists, description: "the budget deleted");
        });
    }

    private async Task RecordWatchNamespacesReleaseAsync(RedisServer redis, TestReceiver receiver)
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await InstallIngressStandInAsync(fixture.Client);
        foreach (var ns in new[] { "team-a", "team-b" })
        {
            await fixture.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        }

        await RecordPhaseAsync(fixture, redis, "install with every feature and watchNamespaces", HelmChart.ValueSetArguments("all-features"), phase => InstallRouteAsync(phase, "team-a", receiver));
    }

    private async Task RecordPhaseAsync(OperatorFixture fixture, RedisServer redis, string name, string[] values, Func<PhaseContext, Task> drive)
    {
        var chart = HelmChart.Template(values);
        var arguments = OperatorArguments(chart);
        var options = OperatorFixture.TestOptions(redis.Url);
        options.Gateway = RenderedSettings.Load(chart);
        options.LeaderElection = arguments.Contains("--leader-election");
        var namespacesAt = Array.IndexOf(arguments, "--namespaces");
        options.Namespaces = namespacesAt < 0 ? [] : arguments[namespacesAt + 1].Split(',');
        Assert.Equal(HelmChart.Namespace, arguments[Array.IndexOf(arguments, "--gateway-namespace") + 1]);

        var number = _phases.Count + 1;
        var operatorAgent = $"fasthook-operator/{number}";
        var gatewayAgent = $"fasthook-gateway/{number}";
        var host = await fixture.StartOperatorAsync(options, operatorAgent);
        try
        {
            await drive(new PhaseContext(fixture, redis, new GatewayObjectBuilder(options.Gateway, options.GatewayNamespace), options.Gateway.KeyPrefix, gatewayAgent));
        }
        finally
        {
            await fixture.StopOperatorAsync(host);
        }

        var requests = await SettledRequestsAsync(fixture);
        _phases.Add(new RecordedPhase(
            name,
            chart,
            options.Namespaces.Count > 0,
            [.. requests.Where(request => request.UserAgent == operatorAgent).Select(ApiCall.Of)],
            [.. requests.Where(request => request.UserAgent == gatewayAgent).Select(ApiCall.Of)]));
    }

    /// <summary>
    /// Creates a route, lets the gateway take a request through it, and deletes its Connection. One status write
    /// per kind fails with 409 Conflict, as when a user edits a resource during a reconcile.
    /// </summary>
    private static async Task InstallRouteAsync(PhaseContext phase, string ns, TestReceiver receiver)
    {
        var fixture = phase.Fixture;
        foreach (var kind in new[] { WebhookSource.KindName, Destination.KindName, Connection.KindName })
        {
            fixture.Api.Faults.Add(new FaultRule { Kind = kind, Count = 1, StatusCode = 409, Verbs = new HashSet<string> { "update" }, Subresource = "status" });
        }

        var secret = TestResources.Secret("github-webhook", "secret", GitHubSecret);
        secret.Metadata.NamespaceProperty = ns;
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(secret, ns);
        var source = TestResources.Source("github");
        var destination = TestResources.Destination("receiver", receiver.Url + "/hooks");
        var connection = TestResources.Connection("route", "github", "receiver");
        source.Metadata.NamespaceProperty = destination.Metadata.NamespaceProperty = connection.Metadata.NamespaceProperty = ns;
        await fixture.CreateAsync(source);
        await fixture.CreateAsync(destination);
        await fixture.CreateAsync(connection);
        await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "route", ns),
            value => OperatorFixture.IsReady(value.Status),
            timeout: TimeSpan.FromSeconds(30),
            description: $"Connection {ns}/route Ready");

        await using (var gateway = await ApiGateway.StartAsync(fixture.Api, phase.Redis, phase.KeyPrefix, phase.Builder.ConfigFromApi, phase.GatewayAgent))
        {
            await Eventually.GetAsync(
                async () =>
                {
                    using var response = await gateway.PostGitHubAsync($"/e/{ns}/github", "{}", GitHubSecret);
                    return response.IsSuccessStatusCode;
                },
                accepted => accepted,
                timeout: TimeSpan.FromSeconds(15),
                description: $"the gateway accepting a request for {ns}/github");
        }

        await fixture.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ns, CustomResourceKind.Connections.Plural, "route");
        await Eventually.GetAsync(
            () => fixture.Client.CustomObjects.ListNamespacedCustomObjectAsync<ResourceList<Connection>>(ApiGroup.Group, ApiGroup.Version, ns, CustomResourceKind.Connections.Plural),
            list => list.Items.Count == 0,
            description: $"Connection {ns}/route deleted after its finalizer ran");
    }

    private static async Task MarkWrittenByOlderOperatorAsync(IKubernetes client, string serviceName)
    {
        var service = await client.CoreV1.ReadNamespacedServiceAsync(serviceName, HelmChart.Namespace);
        service.Metadata.Annotations[GatewayObjectBuilder.DesiredHashAnnotation] = OlderOperatorHash;
        await client.CoreV1.ReplaceNamespacedServiceAsync(service, serviceName, HelmChart.Namespace);
    }

    /// <summary>
    /// Returns the request log once every watch has ended and been logged. The emulator logs a request when it
    /// ends, and a watch ends only after its client was stopped, a moment after the stop returned.
    /// </summary>
    private static async Task<IReadOnlyList<RecordedRequest>> SettledRequestsAsync(OperatorFixture fixture)
    {
        await Eventually.TrueAsync(() => fixture.Api.OpenWatchCount == 0, description: "every watch of the stopped operator and gateway closed");
        var requests = fixture.Api.Requests;
        while (true)
        {
            await Task.Delay(200);
            var later = fixture.Api.Requests;
            if (later.Count == requests.Count)
            {
                return later;
            }

            requests = later;
        }
    }

    /// <summary>
    /// Serves networking.k8s.io/v1 Ingresses through a CustomResourceDefinition of the same group, version and
    /// kind, because the emulator has no built-in Ingress type. The operator's calls and their RBAC attributes are
    /// the same. Only the Ingress schema is not checked.
    /// </summary>
    private static Task InstallIngressStandInAsync(IKubernetes client) =>
        client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: ingresses.networking.k8s.io
            spec:
              group: networking.k8s.io
              scope: Namespaced
              names: {plural: ingresses, singular: ingress, kind: Ingress, listKind: IngressList}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """));

    private static async Task<bool> ExistsAsync<T>(Func<Task<T>> read)
    {
        try
        {
            await read();
            return true;
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static string[] OperatorArguments(RenderedChart chart) =>
        [.. YamlNodes.Strings(chart.Single("Deployment", "fasthook-operator").Container("operator")["args"], "args")];

    private sealed record PhaseContext(OperatorFixture Fixture, RedisServer Redis, GatewayObjectBuilder Builder, string KeyPrefix, string GatewayAgent);
}
