using FastHook.Api.Manifests;

namespace FastHook.Api.Tests;

public sealed class ManifestLoaderTests : IDisposable
{
    private const string Valid = """
        apiVersion: v1
        kind: Secret
        metadata: {name: hook, namespace: payments}
        data: {secret: c2VjcmV0LXZhbHVl}
        ---
        apiVersion: fasthook.io/v1alpha1
        kind: WebhookSource
        metadata: {name: github, namespace: payments}
        spec:
          verification: {provider: github, secretRef: {name: hook, key: secret}}
        ---
        apiVersion: fasthook.io/v1alpha1
        kind: Destination
        metadata: {name: billing, namespace: payments}
        spec: {url: "http://billing.payments.svc:8080/webhooks", timeout: 10s}
        ---
        apiVersion: fasthook.io/v1alpha1
        kind: Connection
        metadata: {name: github-to-billing, namespace: payments}
        spec:
          sourceRef: {name: github}
          destinationRef: {name: billing}
          retry: {strategy: exponential, maxAttempts: 8, initialDelay: 5s, maxDelay: 1h}
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "fasthook-api-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public ManifestLoaderTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public void ValidManifests_LoadWithSecretsDecoded()
    {
        var set = ManifestLoader.LoadAndValidate([Write("all.yaml", Valid)]);

        Assert.Single(set.Sources);
        Assert.Equal("payments/github", set.Sources[0].QualifiedName);
        Assert.Equal("/e/payments/github", SourcePaths.Of(set.Sources[0]));
        Assert.Equal("secret-value"u8.ToArray(), set.Secrets["payments/hook"]["secret"]);
        Assert.Equal(8, set.Connections[0].Spec.Retry!.MaxAttempts);
    }

    [Fact]
    public void Folder_IsReadRecursivelySkippingHiddenEntries()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "nested"));
        Directory.CreateDirectory(Path.Combine(_folder, "..data"));
        Write("nested/all.yml", Valid);
        Write("..data/all.yaml", Valid);
        Write("notes.txt", "not a manifest");

        var set = ManifestLoader.LoadAndValidate([_folder]);

        Assert.Single(set.Connections);
    }

    [Fact]
    public void Problems_AreAllReportedWithFileResourceAndField()
    {
        var file = Write("bad.yaml", Valid
            .Replace("maxAttempts: 8", "maxAttempts: 0", StringComparison.Ordinal)
            .Replace("destinationRef: {name: billing}", "destinationRef: {name: missing}", StringComparison.Ordinal)
            .Replace("timeout: 10s", "timeout: ten", StringComparison.Ordinal));

        var exception = Assert.Throws<ManifestException>(() => ManifestLoader.LoadAndValidate([file]));

        Assert.Equal(3, exception.Errors.Count);
        Assert.Contains(exception.Errors, error => error.Field == "spec.retry.maxAttempts" && error.Resource == "Connection payments/github-to-billing" && error.File == file);
        Assert.Contains(exception.Errors, error => error.Field == "spec.destinationRef.name" && error.Message.Contains("Destination payments/missing does not exist", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, error => error.Field == "spec.timeout" && error.Message.Contains("\"ten\"", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownField_IsNamed()
    {
        var file = Write("typo.yaml", Valid.Replace("timeout: 10s", "timout: 10s", StringComparison.Ordinal));

        var error = Assert.Single(Assert.Throws<ManifestException>(() => ManifestLoader.LoadAndValidate([file])).Errors);

        Assert.Contains("\"timout\"", error.Message, StringComparison.Ordinal);
        Assert.Equal("Destination payments/billing", error.Resource);
    }

    [Fact]
    public void UnknownKind_IsRejectedWithTheAllowedKinds()
    {
        var file = Write("kind.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");

        var error = Assert.Single(Assert.Throws<ManifestException>(() => ManifestLoader.LoadAndValidate([file])).Errors);

        Assert.Equal("kind", error.Field);
        Assert.Contains("WebhookSource, Destination or Connection", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidYaml_ReportsTheLine()
    {
        var file = Write("broken.yaml", "kind: WebhookSource\nspec: [unclosed\n");

        var error = Assert.Single(Assert.Throws<ManifestException>(() => ManifestLoader.LoadAndValidate([file])).Errors);

        Assert.Contains("not valid YAML at line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnclosedFlowSequence_IsAnErrorNotACrash()
    {
        var file = Write("unclosed.yaml", "apiVersion: fasthook.io/v1alpha1\nkind: Destination\nmetadata: {name: d}\nspec:\n  url: [http://127.0.0.1:19000/webhooks\n  method: POST\n");

        var error = Assert.Single(Assert.Throws<ManifestException>(() => ManifestLoader.LoadAndValidate([file])).Errors);

        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyMetadata_IsAnErrorNotACrash()
    {
        var file = Write("nometadata.yaml", "apiVersion: fasthook.io/v1alpha1\nkind: Destination\nmetadata:\nspec: {url: 'http://127.0.0.1:9000/'}\n");

        var error = Assert.Single(Assert.Throws<ManifestException>(() => ManifestLoader.LoadAndValidate([file])).Errors);

        Assert.Equal("metadata.name", error.Field);
    }

    [Fact]
    public void DocumentThatIsNotAMapping_IsReported()
    {
        var file = Write("list.yaml", "- just\n- a list\n");

        var error = Assert.Single(Assert.Throws<ManifestException>(() => ManifestLoader.LoadAndValidate([file])).Errors);

        Assert.Contains("document 1 is not a resource", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicatePath_IsRejected()
    {
        var second = """
            ---
            apiVersion: fasthook.io/v1alpha1
            kind: WebhookSource
            metadata: {name: other, namespace: payments}
            spec:
              path: /e/payments/github
              verification: {provider: none}
            """;
        var file = Write("paths.yaml", Valid + "\n" + second);

        var error = Assert.Single(Assert.Throws<ManifestException>(() => ManifestLoader.LoadAndValidate([file])).Errors);

        Assert.Equal("spec.path", error.Field);
        Assert.Contains("WebhookSource payments/github", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateName_IsRejected()
    {
        var file = Write("twice.yaml", Valid + "\n---\n" + Valid.Split("---")[2]);

        var error = Assert.Single(Assert.Throws<ManifestException>(() => ManifestLoader.LoadAndValidate([file])).Errors);

        Assert.Contains("defined twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingSecretKey_NamesTheSecretAndItsKeys()
    {
        var file = Write("secret.yaml", Valid.Replace("key: secret}", "key: token}", StringComparison.Ordinal));

        var error = Assert.Single(Assert.Throws<ManifestException>(() => ManifestLoader.LoadAndValidate([file])).Errors);

        Assert.Contains("Secret payments/hook has no key \"token\": it has secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsReported()
    {
        var error = Assert.Single(Assert.Throws<ManifestException>(() => ManifestLoader.LoadAndValidate([Path.Combine(_folder, "nope.yaml")])).Errors);

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonSuccessResponseStatus_IsRejected()
    {
        var file = Write("status.yaml", Valid.Replace(
            "verification: {provider: github, secretRef: {name: hook, key: secret}}",
            "verification: {provider: github, secretRef: {name: hook, key: secret}}\n  response: {statusCode: 500}",
            StringComparison.Ordinal));

        var error = Assert.Single(Assert.Throws<ManifestException>(() => ManifestLoader.LoadAndValidate([file])).Errors);

        Assert.Equal("spec.response.statusCode", error.Field);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
