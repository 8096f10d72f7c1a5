using FastHook.Api.Manifests;
using FastHook.Gateway.Configuration;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Filtering;

/// <summary>
/// Filters and transforms in manifests: problems are manifest errors that name the file, the Connection, the
/// field and the position, and stop the routes from being built.
/// </summary>
public sealed class FilterManifestTests : IDisposable
{
    private readonly List<string> _folders = [];

    [Fact]
    public void Build_ReportsRuleErrorWithFieldPath()
    {
        var (file, exception) = BuildFailure("""
            filter:
              body:
                amount: {$gte: [100]}
            """);

        var error = Assert.Single(exception.Errors);
        Assert.Equal(file, error.File);
        Assert.Equal("Connection default/github-to-receiver", error.Resource);
        Assert.Equal("spec.filter.body.amount.$gte", error.Field);
        Assert.Contains("needs a number or a string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ReportsCelErrorWithLineAndColumn()
    {
        var (_, exception) = BuildFailure("""
            filter:
              cel: |-
                request.method == 'POST' &&
                  request.body.action ==
            """);

        var error = Assert.Single(exception.Errors);
        Assert.Equal("spec.filter.cel", error.Field);
        Assert.Contains("line 2, column 25", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ReportsScriptErrorWithLineAndColumn()
    {
        var (_, exception) = BuildFailure("""
            transform:
              script: |
                function transform(request) {
                  return {body: };
                }
            """);

        var error = Assert.Single(exception.Errors);
        Assert.Equal("spec.transform.script", error.Field);
        Assert.Contains("line 2, column 17", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ReportsFilterAndTransformTogether()
    {
        var (_, exception) = BuildFailure("""
            filter: {headers: {x-github-event: {$in: push}}}
            transform: {script: "var x = 1;"}
            """);

        Assert.Equal(["spec.filter.headers.x-github-event.$in", "spec.transform.script"], exception.Errors.Select(error => error.Field));
    }

    [Fact]
    public void Build_CompilesValidRules()
    {
        var set = Load("""
            filter:
              body: {action: opened, pull_request: {draft: false}, amount: {$gte: 100}}
              headers: {x-github-event: {$in: [pull_request, push]}}
              cel: "request.body.action != 'closed'"
            transform:
              script: "function transform(request) { return {body: request.body}; }"
              timeout: 250ms
              maxMemoryBytes: 8388608
              maxRecursionDepth: 20
            """);

        var table = RouteTableBuilder.Build(set, new RedisKeys("t"), TimeProvider.System);

        var connection = table.Connections[TestManifests.Connection];
        Assert.NotNull(connection.Filter);
        Assert.NotNull(connection.Transform);
        Assert.Equal(TimeSpan.FromMilliseconds(250), connection.Transform.Limits.Timeout);
        Assert.Equal(8388608, connection.Transform.Limits.MaxMemoryBytes);
        Assert.Equal(20, connection.Transform.Limits.MaxRecursionDepth);
    }

    [Theory]
    [InlineData("filter: {}", "spec.filter", "is empty")]
    [InlineData("filter: {headers: [x-github-event]}", "spec.filter.headers", "not a mapping")]
    [InlineData("filter: {query: page}", "spec.filter.query", "not a mapping")]
    [InlineData("filter: {cel: \" \"}", "spec.filter.cel", "is empty")]
    [InlineData("filter: {bodies: {a: 1}}", "spec.filter.bodies", "unknown field")]
    [InlineData("transform: {timeout: 1s}", "spec.transform.script", "is missing")]
    [InlineData("transform: {script: x, timeout: 1m}", "spec.transform.timeout", "too long")]
    [InlineData("transform: {script: x, timeout: soon}", "spec.transform.timeout", "soon")]
    [InlineData("transform: {script: x, maxMemoryBytes: 1024}", "spec.transform.maxMemoryBytes", "out of range")]
    [InlineData("transform: {script: x, maxRecursionDepth: 0}", "spec.transform.maxRecursionDepth", "out of range")]
    [InlineData("transform: {script: x, maxRecursionDepth: 5000}", "spec.transform.maxRecursionDepth", "out of range")]
    public void Validator_ReportsInvalidSpec(string connectionExtra, string field, string message)
    {
        var errors = new List<ManifestError>();
        var set = ManifestLoader.Load([WriteManifests(connectionExtra)], errors);
        errors.AddRange(ManifestValidator.Validate(set));

        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private (string File, ManifestException Exception) BuildFailure(string connectionExtra)
    {
        var set = Load(connectionExtra);
        var exception = Assert.Throws<ManifestException>(() => RouteTableBuilder.Build(set, new RedisKeys("t"), TimeProvider.System));
        return (set.FileOf("Connection", TestManifests.Connection), exception);
    }

    private ManifestSet Load(string connectionExtra) => ManifestLoader.LoadAndValidate([WriteManifests(connectionExtra)]);

    private string WriteManifests(string connectionExtra)
    {
        var folder = GatewayHarness.WriteManifests(TestManifests.GitHubToReceiver("http://127.0.0.1:9", connectionExtra: connectionExtra));
        _folders.Add(folder);
        return folder;
    }
}
