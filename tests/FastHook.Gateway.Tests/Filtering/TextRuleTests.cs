using static FastHook.Gateway.Tests.Filtering.FilterFixtures;

namespace FastHook.Gateway.Tests.Filtering;

/// <summary>
/// Rules on headers, query and path, whose values are text: header names compare case-insensitively, and number
/// and boolean operands compare with the text read as a number or boolean.
/// </summary>
public sealed class TextRuleTests
{
    private static readonly KeyValuePair<string, string>[] GitHubHeaders =
    [
        new("Content-Type", "application/json"),
        new("X-GitHub-Event", "push"),
        new("X-Count", "10"),
        new("X-Flag", "true"),
        new("X-Tag", "a"),
        new("x-tag", "b"),
    ];

    [Theory]
    [InlineData("{'X-GitHub-Event': 'push'}", true)]
    [InlineData("{'x-github-event': 'push'}", true)]
    [InlineData("{'x-github-event': 'Push'}", false)]
    [InlineData("{'x-github-event': {'$in': ['pull_request', 'push']}}", true)]
    [InlineData("{'x-github-event': {'$nin': ['pull_request', 'push']}}", false)]
    [InlineData("{'x-github-event': {'$startsWith': 'pu'}}", true)]
    [InlineData("{'x-count': 10}", true)]
    [InlineData("{'x-count': 10.0}", true)]
    [InlineData("{'x-count': {'$gt': 5}}", true)]
    [InlineData("{'x-count': {'$lte': 9}}", false)]
    [InlineData("{'x-github-event': {'$gt': 5}}", false)]
    [InlineData("{'x-flag': true}", true)]
    [InlineData("{'x-flag': false}", false)]
    [InlineData("{'x-tag': 'a, b'}", true)]
    [InlineData("{'x-missing': {'$exist': false}}", true)]
    [InlineData("{'x-missing': 'x'}", false)]
    public void Headers_MatchTable(string rule, bool expected) =>
        Assert.Equal(expected, Evaluate("{'headers': " + rule + "}", Request(headers: GitHubHeaders)).Passed);

    [Theory]
    [InlineData("{'type': 'order'}", true)]
    [InlineData("{'type': 'refund'}", false)]
    [InlineData("{'tag': 'b'}", true)]
    [InlineData("{'tag': ['a', 'b']}", true)]
    [InlineData("{'n': {'$gte': 2}}", true)]
    [InlineData("{'n': 3}", true)]
    [InlineData("{'page': {'$exist': false}}", true)]
    [InlineData("{'Type': 'order'}", false)]
    public void Query_MatchTable(string rule, bool expected) =>
        Assert.Equal(expected, Evaluate("{'query': " + rule + "}", Request(query: "?type=order&tag=a&tag=b&n=3")).Passed);

    [Theory]
    [InlineData("'/e/default/github'", true)]
    [InlineData("'/e/default/other'", false)]
    [InlineData("{'$startsWith': '/e/'}", true)]
    [InlineData("{'$endsWith': '/gitlab'}", false)]
    public void Path_MatchTable(string rule, bool expected) =>
        Assert.Equal(expected, Evaluate("{'path': " + rule + "}", Request()).Passed);

    [Fact]
    public void Filter_RequiresEveryPart()
    {
        var request = Request("{'action': 'opened'}".Replace('\'', '"'), GitHubHeaders);

        Assert.True(Evaluate("{'headers': {'x-github-event': 'push'}, 'body': {'action': 'opened'}}", request).Passed);
        Assert.False(Evaluate("{'headers': {'x-github-event': 'push'}, 'body': {'action': 'closed'}}", request).Passed);
        Assert.False(Evaluate("{'headers': {'x-github-event': 'ping'}, 'body': {'action': 'opened'}}", request).Passed);
    }
}
