using FastHook.Api.V1Alpha1;
using FastHook.KubeEmulator.Testing;
using FastHook.Operator.Hosting;
using FastHook.Operator.Tests.Infrastructure;
using k8s;

namespace FastHook.Operator.Tests.Reconcilers;

public sealed class StatusTests
{
    [Fact]
    public async Task Connection_FilterThatDoesNotCompileIsNotReady()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.StartOperatorAsync();
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(TestResources.Secret("github-webhook", "secret", "s3cret-value"), "default");
        await fixture.CreateAsync(TestResources.Source("github"));
        await fixture.CreateAsync(TestResources.Destination("receiver"));
        var connection = TestResources.Connection("route", "github", "receiver");
        connection.Spec.Filter = new FilterSpec { Cel = "request.body.action ==" };
        await fixture.CreateAsync(connection);

        var invalid = await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "route"),
            value => OperatorFixture.Condition(value.Status, "Ready") is { Status: "False" },
            description: "Connection route Ready=False for a filter that does not compile");
        var valid = OperatorFixture.Condition(invalid.Status, "Valid")!;

        Assert.Equal("False", valid.Status);
        Assert.Contains("spec.filter.cel", valid.Message, StringComparison.Ordinal);
        Assert.Contains("column", valid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_MissingDestinationThenCreated()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.StartOperatorAsync();
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(TestResources.Secret("github-webhook", "secret", "s3cret-value"), "default");
        await fixture.CreateAsync(TestResources.Source("github"));
        await fixture.CreateAsync(TestResources.Connection("route", "github", "receiver"));

        var missing = await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "route"),
            value => OperatorFixture.Condition(value.Status, "Ready") is { Status: "False" },
            description: "Connection route Ready=False");
        var ready = OperatorFixture.Condition(missing.Status, "Ready")!;
        Assert.Equal("DestinationNotFound", ready.Reason);
        Assert.Contains("Destination default/receiver does not exist", ready.Message, StringComparison.Ordinal);
        Assert.Equal("False", OperatorFixture.Condition(missing.Status, "DestinationResolved")!.Status);
        Assert.Equal("True", OperatorFixture.Condition(missing.Status, "SourceResolved")!.Status);

        await fixture.CreateAsync(TestResources.Destination("receiver"));

        var resolved = await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "route"),
            value => OperatorFixture.IsReady(value.Status),
            description: "Connection route Ready=True after the Destination is created");
        Assert.Equal("True", OperatorFixture.Condition(resolved.Status, "DestinationResolved")!.Status);
        Assert.Equal(resolved.Metadata.Generation, resolved.Status.ObservedGeneration);
    }

    [Fact]
    public async Task Source_MissingSecretKeyNamesSecretAndKey()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.StartOperatorAsync();
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(TestResources.Secret("github-webhook", "other", "s3cret-value"), "default");

        await fixture.CreateAsync(TestResources.Source("github"));

        var source = await Eventually.GetAsync(
            () => fixture.GetAsync<WebhookSource>(WebhookSource.KindName, "github"),
            value => OperatorFixture.Condition(value.Status, "Ready") is { Status: "False" },
            description: "WebhookSource github Ready=False");
        var condition = OperatorFixture.Condition(source.Status, "SecretResolved")!;
        Assert.Equal("SecretKeyNotFound", condition.Reason);
        Assert.Contains("Secret default/github-webhook", condition.Message, StringComparison.Ordinal);
        Assert.Contains("\"secret\"", condition.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", KubernetesJson.Serialize(source.Status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conditions_TransitionOnlyOnStatusChange()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.StartOperatorAsync();
        await fixture.CreateAsync(TestResources.Source("github"));
        var failing = await Eventually.GetAsync(
            () => fixture.GetAsync<WebhookSource>(WebhookSource.KindName, "github"),
            value => OperatorFixture.Condition(value.Status, "Ready") is { Status: "False" },
            description: "WebhookSource github Ready=False");
        Assert.Equal("SecretNotFound", OperatorFixture.Condition(failing.Status, "Ready")!.Reason);
        var validSince = OperatorFixture.Condition(failing.Status, "Valid")!.LastTransitionTime;
        await Task.Delay(1100);

        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(TestResources.Secret("github-webhook", "secret", "s3cret-value"), "default");

        var ready = await Eventually.GetAsync(
            () => fixture.GetAsync<WebhookSource>(WebhookSource.KindName, "github"),
            value => OperatorFixture.IsReady(value.Status),
            description: "WebhookSource github Ready=True after the Secret is created");
        Assert.Equal(validSince, OperatorFixture.Condition(ready.Status, "Valid")!.LastTransitionTime);
        Assert.NotEqual(
            OperatorFixture.Condition(failing.Status, "Ready")!.LastTransitionTime,
            OperatorFixture.Condition(ready.Status, "Ready")!.LastTransitionTime);
    }

    [Fact]
    public async Task StatusWrite_ConflictIsRetried()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(TestResources.Secret("github-webhook", "secret", "s3cret-value"), "default");
        fixture.Api.Faults.Add(new FaultRule { Kind = WebhookSource.KindName, Count = 2, StatusCode = 409, Subresource = "status" });
        var host = await fixture.StartOperatorAsync();

        await fixture.CreateAsync(TestResources.Source("github"));

        await Eventually.GetAsync(
            () => fixture.GetAsync<WebhookSource>(WebhookSource.KindName, "github"),
            value => OperatorFixture.IsReady(value.Status),
            description: "WebhookSource github Ready despite two conflicts");
        var conflicts = fixture.Api.Requests.Count(request => request.Resource == "webhooksources" && request.Subresource == "status" && request.StatusCode == 409);
        // Two injected conflicts; a write from a cache that has not seen the previous write yet adds a real one.
        Assert.True(conflicts >= 2, $"{conflicts} conflicts");
        Assert.Equal(0, (int)host.Metrics.Errors.WithLabels(WebhookSource.KindName).Value);
    }

    [Fact]
    public async Task FinalizerUpdate_ConflictIsRetried()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(TestResources.Secret("github-webhook", "secret", "s3cret-value"), "default");
        fixture.Api.Faults.Add(new FaultRule { Kind = Connection.KindName, Count = 2, StatusCode = 409, Subresource = "", Verbs = new HashSet<string> { "update" } });
        var host = await fixture.StartOperatorAsync();
        await fixture.CreateAsync(TestResources.Source("github"));
        await fixture.CreateAsync(TestResources.Destination("receiver"));

        await fixture.CreateAsync(TestResources.Connection("route", "github", "receiver"));

        var ready = await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "route"),
            value => OperatorFixture.IsReady(value.Status),
            description: "Connection route Ready despite two conflicts on adding its finalizer");
        var conflicts = fixture.Api.Requests.Count(request => request.Resource == "connections" && request.Subresource is null && request.Verb == "update" && request.StatusCode == 409);
        Assert.Equal(2, conflicts);
        Assert.Contains("fasthook.io/connection-cleanup", ready.Metadata.Finalizers ?? []);
        Assert.Equal(0, (int)host.Metrics.Errors.WithLabels(Connection.KindName).Value);
    }

    [Fact]
    public async Task Events_RecordFailureAndReadiness()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(TestResources.Secret("github-webhook", "secret", "s3cret-value"), "default");
        fixture.Api.Faults.Add(new FaultRule { Kind = WebhookSource.KindName, Count = 1, StatusCode = 500, Subresource = "status" });
        await fixture.StartOperatorAsync();

        await fixture.CreateAsync(TestResources.Source("github"));

        var events = await Eventually.GetAsync(
            () => fixture.Client.CoreV1.ListNamespacedEventAsync("default"),
            list => list.Items.Any(item => item.Reason == "Configured"),
            description: "a Configured event after the failed status write");
        var failure = Assert.Single(events.Items, item => item.Reason == "ReconcileFailed");
        Assert.Equal("Warning", failure.Type);
        Assert.Equal("github", failure.InvolvedObject.Name);
        Assert.Contains("500", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(events.Items, item => item.Message?.Contains("s3cret-value", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Informer_410RelistsWithoutDuplicateReconciles()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var host = await fixture.StartOperatorAsync();
        await fixture.ApplyManifestsAsync(Path.Combine(AppContext.BaseDirectory, "quickstart"));
        await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "github-to-receiver"),
            value => OperatorFixture.IsReady(value.Status),
            description: "Connection Ready");
        await Task.Delay(1500);
        var key = OperatorHost.KeyOf(Connection.KindName, "default", "github-to-receiver");
        var sourceKey = OperatorHost.KeyOf(WebhookSource.KindName, "default", "github");
        var connectionReconciles = host.ReconcileCount(key);
        var sourceReconciles = host.ReconcileCount(sourceKey);
        var statusWrites = host.StatusWriter!.Writes;

        // The open watches go silent while unrelated writes move the resourceVersion on, and the history is
        // forgotten: when the stall deadline (5 s in the test options) ends them, resuming gets 410 Gone.
        fixture.Api.StallWatches();
        for (var i = 0; i < 3; i++)
        {
            await fixture.Client.CoreV1.CreateNamespacedConfigMapAsync(new k8s.Models.V1ConfigMap { Metadata = new k8s.Models.V1ObjectMeta { Name = $"unrelated-{i}" } }, "default");
        }

        fixture.Api.CompactHistory();
        await Eventually.TrueAsync(() => host.Relists >= 4, timeout: TimeSpan.FromSeconds(20), description: "every informer relisted after 410");
        await Task.Delay(1000);

        Assert.Equal(sourceReconciles, host.ReconcileCount(sourceKey));
        Assert.Equal(statusWrites, host.StatusWriter!.Writes);

        // The connection is requeued on its counter interval only when the operator has Redis; without it, none.
        Assert.Equal(connectionReconciles, host.ReconcileCount(key));
    }

    [Fact]
    public async Task Informer_StalledWatchReconnects()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.StartOperatorAsync();
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(TestResources.Secret("github-webhook", "secret", "s3cret-value"), "default");

        fixture.Api.StallWatches();
        await fixture.CreateAsync(TestResources.Source("github"));

        // The stall deadline in the test options is 5 s; the reconnected watch then delivers the change.
        await Eventually.GetAsync(
            () => fixture.GetAsync<WebhookSource>(WebhookSource.KindName, "github"),
            value => OperatorFixture.IsReady(value.Status),
            timeout: TimeSpan.FromSeconds(20),
            description: "WebhookSource github Ready after the stalled watch is replaced");
    }
}
