using System.Text.RegularExpressions;
using FastHook.Api.Manifests;

namespace FastHook.Api.Tests;

public sealed partial class ReadmeProviderTests
{
    public static TheoryData<string, string> ProviderRows()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("### Verification providers", StringComparison.Ordinal);
        var end = readme.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var rows = new TheoryData<string, string>();
        foreach (Match row in ProviderRow().Matches(readme[start..end]))
        {
            rows.Add(row.Groups["provider"].Value, row.Groups["example"].Value);
        }

        return rows;
    }

    [Fact]
    public void Readme_ListsEveryProvider()
    {
        var listed = ProviderRows().Select(row => (string)row[0]).Order(StringComparer.Ordinal);

        Assert.Equal(V1Alpha1.VerificationProviders.All.Order(StringComparer.Ordinal), listed);
    }

    [Theory]
    [MemberData(nameof(ProviderRows))]
    public void ReadmeExample_Validates(string provider, string example)
    {
        var secrets = string.Join("\n", SecretRef().Matches(example).Select(match => $"""
            ---
            apiVersion: v1
            kind: Secret
            metadata: {"{"}name: {match.Groups["name"].Value}{"}"}
            stringData: {"{"}{match.Groups["key"].Value}: "{SecretValue(provider)}"{"}"}
            """));
        var yaml = $"""
            apiVersion: fasthook.io/v1alpha1
            kind: WebhookSource
            metadata: {"{"}name: {provider.ToLowerInvariant()}{"}"}
            spec:
              verification: {example}
            {secrets}
            """;
        var errors = new List<ManifestError>();
        var set = new ManifestSet();

        ManifestLoader.LoadText(set, "README.md", yaml, errors);
        errors.AddRange(ManifestValidator.Validate(set));

        Assert.Empty(errors);
    }

    private static string SecretValue(string provider) => provider switch
    {
        "standardWebhooks" => "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "stripe" => "whsec_readme_example_secret",
        _ => "readme-example-secret",
    };

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "FastHook.Operator.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with FastHook.Operator.sln) was not found above the test assembly.");
    }

    [GeneratedRegex(@"^\| `(?<provider>[a-zA-Z]+)` \| `(?<example>\{[^`]+\})`", RegexOptions.Multiline)]
    private static partial Regex ProviderRow();

    [GeneratedRegex(@"secretRef: \{name: (?<name>[a-z-]+), key: (?<key>[a-zA-Z]+)\}")]
    private static partial Regex SecretRef();
}
