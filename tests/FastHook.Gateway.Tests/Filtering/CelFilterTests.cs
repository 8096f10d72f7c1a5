using System.Diagnostics;
using FastHook.Gateway.Filtering;
using static FastHook.Gateway.Tests.Filtering.FilterFixtures;

namespace FastHook.Gateway.Tests.Filtering;

/// <summary>
/// CEL filters over the variable request: method, path, query, headers (lower-case names) and body.
/// </summary>
public sealed class CelFilterTests
{
    private static readonly KeyValuePair<string, string>[] Headers =
    [
        new("Content-Type", "application/json"),
        new("X-GitHub-Event", "pull_request"),
    ];

    private const string PullRequestBody = """
        {"action": "opened", "number": 7, "pull_request": {"draft": false, "base": {"ref": "main"}, "labels": [{"name": "bug"}, {"name": "ui"}]}, "amount": 150.5}
        """;

    private static FilterVerdict EvaluateCel(string expression, string body = PullRequestBody, string query = "?page=2&tag=a&tag=b") =>
        Evaluate(System.Text.Json.JsonSerializer.Serialize(new { cel = expression }), Request(body, Headers, query));

    [Theory]
    [InlineData("request.headers['x-github-event'] == 'pull_request'", true)]
    [InlineData("request.headers['x-github-event'] == 'push'", false)]
    [InlineData("'x-github-event' in request.headers", true)]
    [InlineData("'X-GitHub-Event' in request.headers", false)]
    [InlineData("request.headers['content-type'].startsWith('application/json')", true)]
    public void Cel_MatchesHeaders(string expression, bool expected) =>
        Assert.Equal(expected, EvaluateCel(expression).Passed);

    [Theory]
    [InlineData("request.body.action == 'opened'", true)]
    [InlineData("request.body.pull_request.draft == false", true)]
    [InlineData("request.body.pull_request.base.ref == 'main'", true)]
    [InlineData("request.body.pull_request.labels.exists(l, l.name == 'bug')", true)]
    [InlineData("request.body.pull_request.labels.all(l, l.name == 'bug')", false)]
    [InlineData("request.body.pull_request.labels[1].name == 'ui'", true)]
    [InlineData("size(request.body.pull_request.labels) == 2", true)]
    [InlineData("request.body.number > 5 && request.body.amount >= 150.0", true)]
    [InlineData("has(request.body.pull_request.merged_at)", false)]
    [InlineData("!has(request.body.pull_request.merged_at) && request.body.action in ['opened', 'reopened']", true)]
    [InlineData("request.body.action.matches('^(re)?opened$')", true)]
    public void Cel_MatchesNestedBodyFields(string expression, bool expected) =>
        Assert.Equal(expected, EvaluateCel(expression).Passed);

    [Theory]
    [InlineData("request.method == 'POST'", true)]
    [InlineData("request.path.endsWith('/github')", true)]
    [InlineData("request.query.page == '2'", true)]
    [InlineData("'b' in request.query.tag", true)]
    public void Cel_MatchesMethodPathAndQuery(string expression, bool expected) =>
        Assert.Equal(expected, EvaluateCel(expression).Passed);

    [Fact]
    public void Cel_SeesNullBodyWhenNotJson() =>
        Assert.True(EvaluateCel("request.body == null", body: "action=opened").Passed);

    [Theory]
    [InlineData("request.body.missing == 'x'")]
    [InlineData("request.body.action.size() > int('x')")]
    [InlineData("request.body.action + 1 == 2")]
    [InlineData("request.headers['x-missing'] == 'a'")]
    [InlineData("request.body.action.matches('[')")]
    public void Cel_EvaluationErrorFailsRequest(string expression)
    {
        var verdict = EvaluateCel(expression);

        Assert.False(verdict.Passed);
        Assert.NotNull(verdict.Error);
    }

    [Theory]
    [InlineData("has(request.body.action)")]
    [InlineData("request.body.action == 'opened'")]
    public void Cel_FieldOfNullBodyIsNull(string expression)
    {
        var verdict = EvaluateCel(expression, body: "action=opened");

        Assert.False(verdict.Passed);
        Assert.Null(verdict.Error);
    }

    [Fact]
    public void Cel_NonBooleanResultIsError()
    {
        var verdict = EvaluateCel("request.body.number");

        Assert.Contains("not a boolean", verdict.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Cel_MatchesDoesNotBacktrack()
    {
        var body = """{"action": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}""";
        var started = Stopwatch.GetTimestamp();

        var verdict = EvaluateCel("request.body.action.matches('^(a+)+$')", body);

        Assert.False(verdict.Passed);
        Assert.Null(verdict.Error);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(2), "matches() backtracked");
    }

    [Fact]
    public void Cel_SyntaxErrorNamesPosition()
    {
        var errors = CompileErrors("{'cel': 'request.body.action == '}");

        var error = Assert.Single(errors);
        Assert.Equal("spec.filter.cel", error.Field);
        Assert.Contains("line 1, column 24", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cel_SyntaxErrorOnSecondLineNamesLine()
    {
        var errors = CompileErrors("{'cel': 'request.method == \\'POST\\' &&\\n  request.body.action == )'}");

        var error = Assert.Single(errors);
        Assert.Contains("line 2, column 26", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cel_UnknownVariableNamesPosition()
    {
        var errors = CompileErrors("{'cel': 'requst.body.action == \\'opened\\''}");

        var error = Assert.Single(errors);
        Assert.Contains("\"requst\" at line 1, column 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cel_MacroVariableIsDefined() =>
        Assert.Empty(CompileErrors("{'cel': 'request.body.items.exists(item, item.id == 1)'}"));
}
