using FastHook.Gateway.Filtering;
using static FastHook.Gateway.Tests.Filtering.FilterFixtures;

namespace FastHook.Gateway.Tests.Filtering;

/// <summary>
/// Filters that cannot be compiled: each error names the field path inside spec.filter, or the line and column
/// of a CEL expression.
/// </summary>
public sealed class FilterCompileTests
{
    [Theory]
    [InlineData("{'body': {'amount': {'$gte': [1]}}}", "spec.filter.body.amount.$gte", "needs a number or a string")]
    [InlineData("{'body': {'amount': {'$gte': true}}}", "spec.filter.body.amount.$gte", "needs a number or a string")]
    [InlineData("{'body': {'a': {'$in': 'x'}}}", "spec.filter.body.a.$in", "needs a non-empty list of values")]
    [InlineData("{'body': {'a': {'$nin': []}}}", "spec.filter.body.a.$nin", "needs a non-empty list of values")]
    [InlineData("{'body': {'a': {'$startsWith': 5}}}", "spec.filter.body.a.$startsWith", "needs a string")]
    [InlineData("{'body': {'a': {'$exist': 'yes'}}}", "spec.filter.body.a.$exist", "needs true or false")]
    [InlineData("{'body': {'$or': []}}", "spec.filter.body.$or", "needs a non-empty list of rules")]
    [InlineData("{'body': {'$and': {'a': 1}}}", "spec.filter.body.$and", "needs a non-empty list of rules")]
    [InlineData("{'body': {'a': {'$exists': true}}}", "spec.filter.body.a.$exists", "spelled $exist")]
    [InlineData("{'body': {'a': {'$regex': 'x'}}}", "spec.filter.body.a.$regex", "is not an operator")]
    [InlineData("{'body': {'a': {}}}", "spec.filter.body.a", "empty mapping")]
    [InlineData("{'body': {'$or': [{'a': 1}, {'b': {'$lt': {}}}]}}", "spec.filter.body.$or[1].b.$lt", "needs a number or a string")]
    [InlineData("{'headers': {'X-Event': 'a', 'x-event': 'b'}}", "spec.filter.headers.x-event", "twice")]
    [InlineData("{'query': {'n': {'$gt': null}}}", "spec.filter.query.n.$gt", "needs a number or a string")]
    public void Rule_ReportsFieldPath(string filter, string field, string message)
    {
        var errors = CompileErrors(filter);

        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_ReportsEveryError()
    {
        var errors = CompileErrors("{'body': {'a': {'$gt': []}, 'b': {'$nope': 1}}, 'path': {'$in': 1}}");

        Assert.Equal(["spec.filter.body.a.$gt", "spec.filter.body.b.$nope", "spec.filter.path.$in"], errors.Select(error => error.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Rule_WithErrorsCompilesToNull()
    {
        var errors = new List<RuleError>();

        var filter = RequestFilter.Compile(Spec("{'body': {'a': {'$gt': []}}}"), errors);

        Assert.Null(filter);
    }
}
