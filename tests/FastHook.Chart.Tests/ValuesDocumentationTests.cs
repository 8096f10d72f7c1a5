using System.Text.Json;
using System.Text.RegularExpressions;
using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

/// <summary>
/// values.yaml, values.schema.json and the chart README describe the same values. A value is a key path in
/// values.yaml down to where the schema stops listing properties, so `operator.resources` is one value and
/// `gateway.ingress.tls` is two.
/// </summary>
public sealed partial class ValuesDocumentationTests
{
    [Fact]
    public void Schema_EveryValue_IsDescribed()
    {
        using var schema = ReadSchema();

        var missing = new List<string>();
        CollectValues(ReadValues(), schema.RootElement, "", missing, _ => { });

        Assert.True(missing.Count == 0, $"values.schema.json does not describe: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Schema_EveryProperty_HasDefaultValue()
    {
        using var schema = ReadSchema();

        var extra = new List<string>();
        CollectSchemaOnly(schema.RootElement, ReadValues(), "", extra);

        Assert.True(extra.Count == 0, $"values.schema.json describes values that values.yaml does not set: {string.Join(", ", extra)}");
    }

    [Fact]
    public void Readme_Table_ListsEveryValue()
    {
        var documented = ReadReadmeRows().Keys.Order(StringComparer.Ordinal).ToList();

        var values = ValuePaths().Keys.Order(StringComparer.Ordinal).ToList();

        Assert.Equal(values, documented);
    }

    [Fact]
    public void Readme_ScalarDefaults_MatchValues()
    {
        var rows = ReadReadmeRows();

        foreach (var (path, value) in ValuePaths())
        {
            if (value is Dictionary<object, object?> or List<object?>)
            {
                continue;
            }

            var expected = value switch
            {
                null => "`null`",
                string text when IsPlainScalar(text) => $"`{text}`",
                string text => $"`\"{text}\"`",
                _ => throw new InvalidOperationException($"{path} has an unexpected node type"),
            };
            Assert.True(rows.TryGetValue(path, out var row), $"README.md has no row for {path}");
            Assert.True(row.Default == expected, $"README.md gives {path} the default {row.Default}, values.yaml has {expected}");
        }
    }

    [Fact]
    public void Schema_UnknownValue_IsRejected()
    {
        var result = HelmChart.TryTemplate(["--set", "operator.replicaCount=2"]);

        Assert.False(result.Succeeded);
        Assert.Contains("replicaCount", result.Error);
    }

    [Theory]
    [InlineData("gateway.service.type=Internal")]
    [InlineData("redis.bundled.appendfsync=sometimes")]
    [InlineData("gateway.ingress.pathType=Any")]
    [InlineData("operator.replicas=0")]
    [InlineData("metrics.serviceMonitor.interval=often")]
    public void Schema_InvalidValue_IsRejected(string assignment)
    {
        var result = HelmChart.TryTemplate(["--set", assignment]);

        Assert.False(result.Succeeded, $"--set {assignment} rendered: {result}");
        Assert.Contains(assignment[..assignment.IndexOf('=', StringComparison.Ordinal)], result.Error);
    }

    private static Dictionary<object, object?> ReadValues() =>
        YamlNodes.Map(YamlNodes.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "values.yaml"))), "values.yaml");

    private static JsonDocument ReadSchema() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "values.schema.json")));

    /// <summary>
    /// Returns every value's path with its default from values.yaml.
    /// </summary>
    private static Dictionary<string, object?> ValuePaths()
    {
        using var schema = ReadSchema();
        var paths = new Dictionary<string, object?>(StringComparer.Ordinal);
        CollectValues(ReadValues(), schema.RootElement, "", [], pair => paths.Add(pair.Path, pair.Value));
        return paths;
    }

    private static void CollectValues(
        Dictionary<object, object?> values, JsonElement schema, string prefix, List<string> missing, Action<(string Path, object? Value)> found)
    {
        foreach (var (key, value) in values)
        {
            var path = prefix + key;
            if (!schema.TryGetProperty("properties", out var properties) || !properties.TryGetProperty((string)key, out var property))
            {
                missing.Add(path);
                continue;
            }

            if (value is Dictionary<object, object?> map && property.TryGetProperty("properties", out _))
            {
                CollectValues(map, property, path + ".", missing, found);
            }
            else
            {
                found((path, value));
            }
        }
    }

    private static void CollectSchemaOnly(JsonElement schema, Dictionary<object, object?> values, string prefix, List<string> extra)
    {
        if (!schema.TryGetProperty("properties", out var properties))
        {
            return;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var path = prefix + property.Name;
            if (path == "global")
            {
                continue;
            }

            if (!values.TryGetValue(property.Name, out var value))
            {
                extra.Add(path);
            }
            else if (value is Dictionary<object, object?> map)
            {
                CollectSchemaOnly(property.Value, map, path + ".", extra);
            }
        }
    }

    private static Dictionary<string, (string Default, string Description)> ReadReadmeRows()
    {
        var rows = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(RepositoryPaths.Chart, "README.md")))
        {
            var match = ValueRow().Match(line);
            if (match.Success)
            {
                rows.Add(match.Groups["key"].Value, (match.Groups["default"].Value.Trim(), match.Groups["description"].Value.Trim()));
            }
        }

        return rows;
    }

    // YAML plain scalars that are not strings: booleans and numbers.
    private static bool IsPlainScalar(string text) =>
        text is "true" or "false" || double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _);

    [GeneratedRegex(@"^\| `(?<key>[A-Za-z][A-Za-z0-9.]*)` \|(?<default>[^|]*)\|(?<description>.*)\|$")]
    private static partial Regex ValueRow();
}
