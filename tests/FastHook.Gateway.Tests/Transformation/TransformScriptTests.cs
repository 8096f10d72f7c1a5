using System.Text;
using System.Text.Json;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Filtering;
using FastHook.Gateway.Transformation;
using static FastHook.Gateway.Tests.Filtering.FilterFixtures;

namespace FastHook.Gateway.Tests.Transformation;

/// <summary>
/// Transform scripts run in the sandbox: the request they receive, the delivery they return, and the limits that stop them.
/// </summary>
public sealed class TransformScriptTests
{
    private static readonly KeyValuePair<string, string>[] Headers =
    [
        new("Content-Type", "application/json"),
        new("X-GitHub-Event", "push"),
        new("Authorization", "Bearer provider-token"),
        new("X-Tag", "a"),
        new("X-Tag", "b"),
    ];

    private const string PushBody = """{"ref": "refs/heads/main", "commits": [{"id": "a1"}, {"id": "b2"}]}""";

    private static TransformScript Compile(string script, string? timeout = null, long? maxMemoryBytes = null, int? maxRecursionDepth = null)
    {
        var errors = new List<RuleError>();
        var spec = new TransformSpec { Script = script, Timeout = timeout, MaxMemoryBytes = maxMemoryBytes, MaxRecursionDepth = maxRecursionDepth };
        var transform = TransformScript.Compile(spec, errors);
        Assert.True(errors.Count == 0, "The script did not compile: " + string.Join("; ", errors));
        return transform!;
    }

    private static List<RuleError> CompileErrors(string script)
    {
        var errors = new List<RuleError>();
        TransformScript.Compile(new TransformSpec { Script = script }, errors);
        return errors;
    }

    private static TransformOutcome Run(string script, string body = PushBody, string query = "?page=2") =>
        Compile(script).Run(Request(body, Headers, query));

    private static TransformedRequest Succeed(string script, string body = PushBody, string query = "?page=2")
    {
        var outcome = Run(script, body, query);
        Assert.True(outcome.Succeeded, $"The transform failed ({outcome.FailureReason}): {outcome.Error}");
        return outcome.Request!;
    }

    private static string BodyText(TransformedRequest request) => Encoding.UTF8.GetString(request.Body!.Value.Span);

    [Fact]
    public void Transform_ReceivesRequestFields()
    {
        var result = Succeed("""
            function transform(request) {
              return {body: {
                method: request.method, path: request.path, query: request.query, headers: request.headers,
                ref: request.body.ref, commits: request.body.commits.length
              }};
            }
            """);

        using var body = JsonDocument.Parse(BodyText(result));
        var root = body.RootElement;
        Assert.Equal("POST", root.GetProperty("method").GetString());
        Assert.Equal("/e/default/github", root.GetProperty("path").GetString());
        Assert.Equal("2", root.GetProperty("query").GetProperty("page").GetString());
        Assert.Equal("push", root.GetProperty("headers").GetProperty("x-github-event").GetString());
        Assert.Equal("a, b", root.GetProperty("headers").GetProperty("x-tag").GetString());
        Assert.Equal("application/json", root.GetProperty("headers").GetProperty("content-type").GetString());
        Assert.False(root.GetProperty("headers").TryGetProperty("authorization", out _), "the provider's credentials reached the script");
        Assert.Equal("refs/heads/main", root.GetProperty("ref").GetString());
        Assert.Equal(2, root.GetProperty("commits").GetInt32());
    }

    [Fact]
    public void Transform_ReceivesNonJsonBodyAsText()
    {
        var result = Succeed("function transform(request) { return {body: typeof request.body + ':' + request.body}; }", body: "payload=%7B%7D");

        Assert.Equal("string:payload=%7B%7D", BodyText(result));
    }

    [Fact]
    public void Transform_RewritesBodyAndHeaders()
    {
        var result = Succeed("""
            function transform(request) {
              return {
                body: {branch: request.body.ref.replace('refs/heads/', ''), count: request.body.commits.length},
                headers: {'X-Event': request.headers['x-github-event'], 'X-Count': 2, 'X-List': ['a', 'b'], 'X-None': null}
              };
            }
            """);

        Assert.Equal("""{"branch":"main","count":2}""", BodyText(result));
        Assert.Equal("application/json", result.ContentType);
        Assert.Equal([new("X-Event", "push"), new("X-Count", "2"), new("X-List", "a"), new("X-List", "b")], result.Headers!);
        Assert.Null(result.Method);
        Assert.Null(result.Path);
        Assert.Null(result.Query);
    }

    [Fact]
    public void Transform_StringBodyIsSentAsText()
    {
        var result = Succeed("function transform(request) { return {body: 'ref=' + request.body.ref, headers: {'content-type': 'text/plain'}}; }");

        Assert.Equal("ref=refs/heads/main", BodyText(result));
        Assert.Equal("text/plain", result.ContentType);
        Assert.Empty(result.Headers!);
    }

    [Fact]
    public void Transform_WithoutBodyKeepsCapturedBody()
    {
        var result = Succeed("function transform(request) { return {headers: {'x-added': '1'}}; }");

        Assert.Null(result.Body);
        Assert.Null(result.ContentType);
    }

    [Fact]
    public void Transform_ReturningRequestChangesOnlyBody()
    {
        var result = Succeed("function transform(request) { request.body.seen = true; return request; }");

        Assert.Null(result.Method);
        Assert.Null(result.Path);
        Assert.Null(result.Query);
        Assert.Contains("\"seen\":true", BodyText(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_ChangesMethodPathAndQuery()
    {
        var result = Succeed("""
            function transform(request) {
              return {method: 'put', path: '/github/' + request.headers['x-github-event'], query: {page: '3', tag: ['x', 'y']}};
            }
            """);

        Assert.Equal(HttpMethod.Put, result.Method);
        Assert.Equal(new Uri("http://127.0.0.1:9000/hooks/github/push?key=1&page=3&tag=x&tag=y"), result.ResolveUrl(new Uri("http://127.0.0.1:9000/hooks/?key=1")));
    }

    [Theory]
    [InlineData("return null;", "returned null")]
    [InlineData("return [1];", "returned an array")]
    [InlineData("return 'text';", "returned string")]
    [InlineData("return;", "returned undefined")]
    [InlineData("return Promise.resolve({});", "Promise")]
    [InlineData("return {bodyy: 1};", "unknown field \\\"bodyy\\\"")]
    [InlineData("return {headers: {'bad name': 'x'}};", "not a valid HTTP header name")]
    [InlineData("return {headers: {'Host': 'example.com'}};", "never forwards")]
    [InlineData("return {headers: {'webhook-signature': 'v1,x'}};", "never forwards")]
    [InlineData("return {headers: {'x-a': 'line\\nbreak'}};", "control character")]
    [InlineData("return {headers: {'x-a': {'b': 1}}};", "as object")]
    [InlineData("return {headers: 'x'};", "not an object")]
    [InlineData("return {method: 'TRACE'};", "use one of")]
    [InlineData("return {path: 'relative'};", "starts with '/'")]
    [InlineData("return {path: '/a/../admin'};", "\\\"..\\\" segment")]
    [InlineData("return {query: ['a']};", "not an object")]
    [InlineData("return {body: 10n};", "BigInt")]
    public void Transform_RejectsInvalidResult(string statement, string message)
    {
        var outcome = Run("function transform(request) { " + statement + " }");

        Assert.False(outcome.Succeeded);
        Assert.Contains(message.Replace("\\\"", "\"", StringComparison.Ordinal), outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_ThrowRecordsMessageAndPosition()
    {
        var outcome = Run("function transform(request) {\n  throw new Error('no commits');\n}");

        // Jint places a thrown Error where it was created: at "new Error", column 9.
        Assert.Equal(TransformFailures.Error, outcome.FailureReason);
        Assert.Contains("no commits at line 2, column 9", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_EndlessLoopStopsAtTimeout()
    {
        var outcome = Compile("function transform(request) { while (true) {} }", timeout: "200ms").Run(Request(PushBody));

        Assert.Equal(TransformFailures.Timeout, outcome.FailureReason);
        Assert.Contains("timeout of 200ms", outcome.Error, StringComparison.Ordinal);
        Assert.True(outcome.Duration < TimeSpan.FromSeconds(5), $"the run took {outcome.Duration}");
    }

    [Fact]
    public void Transform_CatastrophicRegexStopsAtTimeout()
    {
        var script = "function transform(request) { return {body: /^(a+)+$/.test('a'.repeat(40) + '!')}; }";

        var outcome = Compile(script, timeout: "200ms").Run(Request(PushBody));

        Assert.Equal(TransformFailures.Timeout, outcome.FailureReason);
    }

    [Fact]
    public void Transform_UnboundedAllocationStopsAtMemoryLimit()
    {
        var script = "function transform(request) { const parts = []; while (true) { parts.push('x'.repeat(1000) + parts.length); } }";

        var outcome = Compile(script, timeout: "10s", maxMemoryBytes: 4 * 1024 * 1024).Run(Request(PushBody));

        Assert.Equal(TransformFailures.MemoryLimit, outcome.FailureReason);
    }

    [Theory]
    [InlineData("'x'.repeat(1e9)")]
    [InlineData("''.padEnd(1e9, 'ab')")]
    [InlineData("new Array(100000).fill('x'.repeat(1000)).join('')")]
    [InlineData("new Array(2000).fill(request.body).map(() => 'y'.repeat(4000))")]
    public void Transform_SingleLargeAllocationStopsAtMemoryLimit(string expression)
    {
        var outcome = Compile("function transform(request) { return {body: " + expression + "}; }", timeout: "10s", maxMemoryBytes: 4 * 1024 * 1024).Run(Request(PushBody));

        Assert.Equal(TransformFailures.MemoryLimit, outcome.FailureReason);
    }

    [Fact]
    public void Transform_LargeSharedResultStopsAtMemoryLimit()
    {
        var script = "function transform(request) { const big = 'x'.repeat(100000); return {body: new Array(1000).fill(big)}; }";

        var outcome = Compile(script, timeout: "10s", maxMemoryBytes: 4 * 1024 * 1024).Run(Request(PushBody));

        Assert.Equal(TransformFailures.MemoryLimit, outcome.FailureReason);
    }

    [Fact]
    public void Transform_DeepRecursionStopsAtRecursionLimit()
    {
        var script = "function transform(request) { function down(n) { return down(n + 1) + 1; } return {body: down(0)}; }";

        var outcome = Compile(script, timeout: "10s", maxRecursionDepth: 50).Run(Request(PushBody));

        Assert.Equal(TransformFailures.RecursionLimit, outcome.FailureReason);
        Assert.Contains("maxRecursionDepth 50", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_RecursionWithinLimitSucceeds()
    {
        var script = "function transform(request) { function down(n) { return n === 0 ? 0 : down(n - 1) + 1; } return {body: down(40)}; }";

        var result = Compile(script, timeout: "10s", maxRecursionDepth: 50).Run(Request(PushBody));

        Assert.Equal("40", BodyText(result.Request!));
    }

    [Fact]
    public async Task Transform_GetterRecursionDoesNotCrashProcess()
    {
        // Getters recurse without a call expression, which the depth count does not see; the stack guard stops them.
        // The run happens on a thread-pool thread, whose stack is smaller than the test thread's, as in delivery.
        var script = "function transform(request) { const o = {get x() { return this.x; }}; return {body: o.x}; }";

        var outcome = await Task.Run(() => Compile(script, maxRecursionDepth: 1000).Run(Request(PushBody)));

        Assert.False(outcome.Succeeded);
    }

    [Theory]
    [InlineData("typeof require")]
    [InlineData("typeof fetch")]
    [InlineData("typeof setTimeout")]
    [InlineData("typeof XMLHttpRequest")]
    [InlineData("typeof importNamespace")]
    [InlineData("typeof System")]
    [InlineData("typeof ArrayBuffer")]
    [InlineData("typeof Uint8Array")]
    public void Sandbox_HasNoHostAccess(string expression) =>
        Assert.Equal("undefined", BodyText(Succeed("function transform(request) { return {body: " + expression + "}; }")));

    [Theory]
    [InlineData("eval('1')")]
    [InlineData("new Function('return 1')()")]
    public void Sandbox_RejectsStringCompilation(string expression)
    {
        var outcome = Run("function transform(request) { return {body: " + expression + "}; }");

        Assert.Equal(TransformFailures.Error, outcome.FailureReason);
    }

    [Fact]
    public void Sandbox_KeepsNoStateBetweenRuns()
    {
        var transform = Compile("var runs = 0; function transform(request) { runs++; globalThis.seen = (globalThis.seen || 0) + 1; return {body: [runs, seen]}; }");

        transform.Run(Request(PushBody));
        var second = transform.Run(Request(PushBody));

        Assert.Equal("[1,1]", BodyText(second.Request!));
    }

    [Fact]
    public void Compile_ReportsSyntaxErrorPosition()
    {
        var error = Assert.Single(CompileErrors("function transform(request) {\n  return {body: };\n}"));

        Assert.Equal("spec.transform.script", error.Field);
        Assert.Contains("line 2, column 17", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_RequiresTransformFunction()
    {
        var error = Assert.Single(CompileErrors("function transfrom(request) { return {}; }"));

        Assert.Contains("defines no function named transform", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_ReportsTopLevelFailure()
    {
        var error = Assert.Single(CompileErrors("while (true) {}\nfunction transform(request) { return {}; }"));

        Assert.Contains("(timeout)", error.Message, StringComparison.Ordinal);
    }
}
