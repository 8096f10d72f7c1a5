using static FastHook.Gateway.Tests.Filtering.FilterFixtures;

namespace FastHook.Gateway.Tests.Filtering;

/// <summary>
/// Truth tables of the declarative body rules: each row is a rule, a body and whether the request passes.
/// </summary>
public sealed class BodyRuleTests
{
    [Theory]
    [InlineData("{'action': 'opened'}", "{'action': 'opened'}", true)]
    [InlineData("{'action': 'opened'}", "{'action': 'closed'}", false)]
    [InlineData("{'action': 'opened'}", "{}", false)]
    [InlineData("{'action': 'opened'}", "{'action': ['closed', 'opened']}", true)]
    [InlineData("{'action': 'opened'}", "{'action': 1}", false)]
    [InlineData("{'action': 'opened'}", "{'action': 'Opened'}", false)]
    [InlineData("{'amount': 100}", "{'amount': 100.0}", true)]
    [InlineData("{'amount': 100}", "{'amount': '100'}", false)]
    [InlineData("{'id': 9007199254740993}", "{'id': 9007199254740992}", false)]
    [InlineData("{'draft': false}", "{'draft': false}", true)]
    [InlineData("{'draft': false}", "{'draft': 'false'}", false)]
    [InlineData("{'draft': false}", "{'draft': null}", false)]
    [InlineData("{'closed_at': null}", "{'closed_at': null}", true)]
    [InlineData("{'closed_at': null}", "{}", false)]
    public void Literal_MatchesTable(string rule, string body, bool expected) =>
        Assert.Equal(expected, BodyPasses(rule, body));

    [Theory]
    [InlineData("{'a': {'$eq': 'x'}}", "{'a': 'x'}", true)]
    [InlineData("{'a': {'$eq': 'x'}}", "{'a': 'y'}", false)]
    [InlineData("{'a': {'$eq': 'x'}}", "{}", false)]
    [InlineData("{'a': {'$eq': 'x'}}", "{'a': ['y', 'x']}", true)]
    [InlineData("{'a': {'$eq': {'b': 1}}}", "{'a': {'b': 1}}", true)]
    [InlineData("{'a': {'$eq': {'b': 1}}}", "{'a': {'b': 1, 'c': 2}}", false)]
    [InlineData("{'a': {'$eq': [1, 2]}}", "{'a': [1, 2]}", true)]
    [InlineData("{'a': {'$eq': [1, 2]}}", "{'a': [2, 1]}", false)]
    public void Eq_MatchesTable(string rule, string body, bool expected) =>
        Assert.Equal(expected, BodyPasses(rule, body));

    [Theory]
    [InlineData("{'a': {'$neq': 'x'}}", "{'a': 'y'}", true)]
    [InlineData("{'a': {'$neq': 'x'}}", "{'a': 'x'}", false)]
    [InlineData("{'a': {'$neq': 'x'}}", "{}", true)]
    [InlineData("{'a': {'$neq': 'x'}}", "{'a': ['y', 'x']}", false)]
    [InlineData("{'a': {'$neq': 'x'}}", "{'a': 1}", true)]
    public void Neq_MatchesTable(string rule, string body, bool expected) =>
        Assert.Equal(expected, BodyPasses(rule, body));

    [Theory]
    [InlineData("{'a': {'$in': ['x', 'y']}}", "{'a': 'x'}", true)]
    [InlineData("{'a': {'$in': ['x', 'y']}}", "{'a': 'z'}", false)]
    [InlineData("{'a': {'$in': ['x', 'y']}}", "{}", false)]
    [InlineData("{'a': {'$in': ['x', 'y']}}", "{'a': ['z', 'y']}", true)]
    [InlineData("{'a': {'$in': ['x', 'y']}}", "{'a': 1}", false)]
    [InlineData("{'a': {'$in': [1, 2]}}", "{'a': 2.0}", true)]
    public void In_MatchesTable(string rule, string body, bool expected) =>
        Assert.Equal(expected, BodyPasses(rule, body));

    [Theory]
    [InlineData("{'a': {'$nin': ['x', 'y']}}", "{'a': 'z'}", true)]
    [InlineData("{'a': {'$nin': ['x', 'y']}}", "{'a': 'x'}", false)]
    [InlineData("{'a': {'$nin': ['x', 'y']}}", "{}", true)]
    [InlineData("{'a': {'$nin': ['x', 'y']}}", "{'a': ['z', 'x']}", false)]
    public void Nin_MatchesTable(string rule, string body, bool expected) =>
        Assert.Equal(expected, BodyPasses(rule, body));

    [Theory]
    [InlineData("{'n': {'$gt': 10}}", "{'n': 11}", true)]
    [InlineData("{'n': {'$gt': 10}}", "{'n': 10}", false)]
    [InlineData("{'n': {'$gt': 10}}", "{'n': 9}", false)]
    [InlineData("{'n': {'$gt': 10}}", "{'n': '11'}", false)]
    [InlineData("{'n': {'$gt': 10}}", "{}", false)]
    [InlineData("{'n': {'$gt': 10}}", "{'n': null}", false)]
    [InlineData("{'n': {'$gt': 10}}", "{'n': [1, 20]}", true)]
    [InlineData("{'n': {'$gte': 10}}", "{'n': 10}", true)]
    [InlineData("{'n': {'$gte': 10}}", "{'n': 9.99}", false)]
    [InlineData("{'n': {'$lt': 10}}", "{'n': 9}", true)]
    [InlineData("{'n': {'$lt': 10}}", "{'n': 10}", false)]
    [InlineData("{'n': {'$lte': 10}}", "{'n': 10}", true)]
    [InlineData("{'n': {'$lte': 10}}", "{'n': 10.5}", false)]
    [InlineData("{'n': {'$lte': 10}}", "{}", false)]
    [InlineData("{'s': {'$gt': 'b'}}", "{'s': 'c'}", true)]
    [InlineData("{'s': {'$gt': 'b'}}", "{'s': 'a'}", false)]
    [InlineData("{'s': {'$gt': 'b'}}", "{'s': 5}", false)]
    [InlineData("{'n': {'$gt': 1e300}}", "{'n': 1e400}", true)]
    public void Comparison_MatchesTable(string rule, string body, bool expected) =>
        Assert.Equal(expected, BodyPasses(rule, body));

    [Theory]
    [InlineData("{'ref': {'$startsWith': 'refs/heads/'}}", "{'ref': 'refs/heads/main'}", true)]
    [InlineData("{'ref': {'$startsWith': 'refs/heads/'}}", "{'ref': 'refs/tags/v1'}", false)]
    [InlineData("{'ref': {'$startsWith': 'refs/heads/'}}", "{'ref': 'REFS/HEADS/main'}", false)]
    [InlineData("{'ref': {'$startsWith': 'refs/heads/'}}", "{}", false)]
    [InlineData("{'ref': {'$startsWith': 'refs/heads/'}}", "{'ref': 5}", false)]
    [InlineData("{'ref': {'$startsWith': 'refs/heads/'}}", "{'ref': ['x', 'refs/heads/a']}", true)]
    [InlineData("{'ref': {'$endsWith': '/main'}}", "{'ref': 'refs/heads/main'}", true)]
    [InlineData("{'ref': {'$endsWith': '/main'}}", "{'ref': 'refs/heads/main-old'}", false)]
    [InlineData("{'ref': {'$endsWith': '/main'}}", "{}", false)]
    public void Affix_MatchesTable(string rule, string body, bool expected) =>
        Assert.Equal(expected, BodyPasses(rule, body));

    [Theory]
    [InlineData("{'title': {'$contains': 'WIP'}}", "{'title': '[WIP] fix'}", true)]
    [InlineData("{'title': {'$contains': 'WIP'}}", "{'title': 'fix'}", false)]
    [InlineData("{'title': {'$contains': 'WIP'}}", "{}", false)]
    [InlineData("{'labels': {'$contains': 'bug'}}", "{'labels': ['ui', 'bug']}", true)]
    [InlineData("{'labels': {'$contains': 'bug'}}", "{'labels': ['ui', 'bugfix']}", false)]
    [InlineData("{'labels': {'$contains': {'name': 'bug'}}}", "{'labels': [{'name': 'bug', 'color': 'red'}]}", true)]
    [InlineData("{'labels': {'$contains': {'name': 'bug'}}}", "{'labels': [{'name': 'ui'}]}", false)]
    [InlineData("{'n': {'$contains': 5}}", "{'n': 5}", false)]
    public void Contains_MatchesTable(string rule, string body, bool expected) =>
        Assert.Equal(expected, BodyPasses(rule, body));

    [Theory]
    [InlineData("{'a': {'$exist': true}}", "{'a': 1}", true)]
    [InlineData("{'a': {'$exist': true}}", "{'a': null}", true)]
    [InlineData("{'a': {'$exist': true}}", "{}", false)]
    [InlineData("{'a': {'$exist': false}}", "{}", true)]
    [InlineData("{'a': {'$exist': false}}", "{'a': 1}", false)]
    [InlineData("{'p': {'d': {'$exist': false}}}", "{}", true)]
    [InlineData("{'p': {'d': {'$exist': false}}}", "{'p': 'text'}", true)]
    public void Exist_MatchesTable(string rule, string body, bool expected) =>
        Assert.Equal(expected, BodyPasses(rule, body));

    [Theory]
    [InlineData("{'n': {'$and': [{'$gt': 1}, {'$lt': 5}]}}", "{'n': 3}", true)]
    [InlineData("{'n': {'$and': [{'$gt': 1}, {'$lt': 5}]}}", "{'n': 6}", false)]
    [InlineData("{'$or': [{'a': 'x'}, {'b': 'y'}]}", "{'b': 'y'}", true)]
    [InlineData("{'$or': [{'a': 'x'}, {'b': 'y'}]}", "{'a': 'y'}", false)]
    [InlineData("{'$or': [{'a': 'x'}, {'b': 'y'}]}", "{}", false)]
    [InlineData("{'a': {'$not': {'$in': ['x', 'y']}}}", "{'a': 'z'}", true)]
    [InlineData("{'a': {'$not': {'$in': ['x', 'y']}}}", "{'a': 'x'}", false)]
    [InlineData("{'a': {'$not': {'$in': ['x', 'y']}}}", "{}", true)]
    [InlineData("{'$not': {'a': 'x'}}", "{'a': 'y'}", true)]
    [InlineData("{'a': 'x', '$or': [{'b': 1}, {'c': 1}]}", "{'a': 'x', 'c': 1}", true)]
    [InlineData("{'a': 'x', '$or': [{'b': 1}, {'c': 1}]}", "{'a': 'y', 'c': 1}", false)]
    public void Logical_MatchesTable(string rule, string body, bool expected) =>
        Assert.Equal(expected, BodyPasses(rule, body));

    [Theory]
    [InlineData("{'pull_request': {'draft': false, 'base': {'ref': 'main'}}}", "{'pull_request': {'draft': false, 'base': {'ref': 'main', 'sha': 'a'}}}", true)]
    [InlineData("{'pull_request': {'draft': false, 'base': {'ref': 'main'}}}", "{'pull_request': {'draft': false, 'base': {}}}", false)]
    [InlineData("{'pull_request': {'draft': false, 'base': {'ref': 'main'}}}", "{'pull_request': {'draft': false}}", false)]
    [InlineData("{'pull_request': {'draft': false, 'base': {'ref': 'main'}}}", "{}", false)]
    [InlineData("{'pull_request': {'draft': false}}", "{'pull_request': 'text'}", false)]
    public void NestedObject_MatchesTable(string rule, string body, bool expected) =>
        Assert.Equal(expected, BodyPasses(rule, body));

    [Theory]
    [InlineData("{'labels': ['bug', 'ui']}", "{'labels': ['ui', 'x', 'bug']}", true)]
    [InlineData("{'labels': ['bug', 'ui']}", "{'labels': ['bug']}", false)]
    [InlineData("{'labels': ['bug']}", "{'labels': 'bug'}", false)]
    [InlineData("{'labels': []}", "{'labels': []}", true)]
    [InlineData("{'labels': []}", "{'labels': ['a']}", true)]
    [InlineData("{'labels': []}", "{}", false)]
    [InlineData("{'labels': [{'name': 'bug'}]}", "{'labels': [{'name': 'bug', 'color': 'red'}]}", true)]
    [InlineData("{'commits': {'author': 'a'}}", "{'commits': [{'author': 'b'}, {'author': 'a'}]}", true)]
    [InlineData("{'commits': {'author': 'a'}}", "{'commits': [{'author': 'b'}]}", false)]
    [InlineData("{'commits': {'author': 'a'}}", "{'commits': []}", false)]
    [InlineData("{'commits': {'author': 'a', 'id': 2}}", "{'commits': [{'author': 'a', 'id': 1}, {'author': 'b', 'id': 2}]}", false)]
    public void Array_MatchesTable(string rule, string body, bool expected) =>
        Assert.Equal(expected, BodyPasses(rule, body));

    [Theory]
    [InlineData("action=opened")]
    [InlineData("")]
    [InlineData("{\"action\": \"opened\"")]
    [InlineData("<xml/>")]
    public void NonJsonBody_FailsEveryBodyRule(string body)
    {
        var request = Request(body);

        Assert.False(Evaluate("{'body': {'action': 'opened'}}", request).Passed);
        Assert.False(Evaluate("{'body': {'$not': {'action': 'closed'}}}", request).Passed);
        Assert.False(Evaluate("{'body': {'action': {'$exist': false}}}", request).Passed);
        Assert.Null(Evaluate("{'body': {'action': 'opened'}}", request).Error);
    }

    [Fact]
    public void NonJsonBody_PassesFilterWithoutBodyRule() =>
        Assert.True(Evaluate("{'path': '/e/default/github'}", Request("action=opened")).Passed);

    [Fact]
    public void FieldNames_CompareCaseSensitively()
    {
        Assert.True(BodyPasses("{'Action': 'a', 'action': 'b'}", "{'Action': 'a', 'action': 'b'}"));
        Assert.False(BodyPasses("{'Action': 'b'}", "{'Action': 'a', 'action': 'b'}"));
    }

    [Fact]
    public void JsonStringBody_MatchesLiteralRule() =>
        Assert.True(BodyPasses("'opened'", "'opened'"));
}
