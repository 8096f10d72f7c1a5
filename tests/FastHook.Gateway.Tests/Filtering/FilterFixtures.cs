using System.Text;
using System.Text.Json;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Filtering;
using FastHook.Gateway.Storage;

namespace FastHook.Gateway.Tests.Filtering;

/// <summary>
/// Builds filters from JSON written with single quotes, and captured requests, for filter tests.
/// </summary>
internal static class FilterFixtures
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Turns single quotes into double quotes, so JSON reads cleanly inside C# strings.</summary>
    public static string Json(string text) => text.Replace('\'', '"');

    public static FilterSpec Spec(string json) => JsonSerializer.Deserialize<FilterSpec>(Json(json), Options)!;

    /// <summary>Compiles <paramref name="json"/>, failing the test with the compile errors when there are any.</summary>
    public static RequestFilter Compile(string json)
    {
        var errors = new List<RuleError>();
        var filter = RequestFilter.Compile(Spec(json), errors);
        Assert.True(errors.Count == 0, "The filter did not compile: " + string.Join("; ", errors));
        return filter!;
    }

    public static List<RuleError> CompileErrors(string json)
    {
        var errors = new List<RuleError>();
        RequestFilter.Compile(Spec(json), errors);
        return errors;
    }

    public static StoredRequest Request(
        string body = "{}",
        IReadOnlyList<KeyValuePair<string, string>>? headers = null,
        string query = "",
        string path = "/e/default/github",
        string method = "POST") => new()
        {
            Id = "1700000000000-0",
            Method = method,
            Path = path,
            Query = query,
            Headers = headers ?? [new("Content-Type", "application/json")],
            Body = Encoding.UTF8.GetBytes(body),
            Verification = "verified",
        };

    public static FilterVerdict Evaluate(string filter, StoredRequest request)
    {
        using var input = new FilterInput(request);
        return Compile(filter).Evaluate(input);
    }

    /// <summary>Returns whether a request with <paramref name="body"/> passes the body rule <paramref name="rule"/>.</summary>
    public static bool BodyPasses(string rule, string body) =>
        Evaluate("{'body': " + rule + "}", Request(Json(body))).Passed;
}
