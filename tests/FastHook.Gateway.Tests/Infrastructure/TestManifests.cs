namespace FastHook.Gateway.Tests.Infrastructure;

/// <summary>
/// Manifests for tests: a GitHub source "github" on /e/default/github, a destination "receiver" and a
/// connection "github-to-receiver", with the parts a test varies passed in as YAML fragments.
/// </summary>
public static class TestManifests
{
    public const string GitHubSecret = "It's a Secret to Everybody";
    public const string SigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string SourcePath = "/e/default/github";
    public const string Connection = "default/github-to-receiver";

    public static string GitHubToReceiver(
        string receiverUrl,
        string retry = "{strategy: exponential, maxAttempts: 3, initialDelay: 100ms, maxDelay: 1s}",
        string destinationExtra = "",
        string sourceExtra = "",
        string connectionExtra = "",
        string destinationTimeout = "1s") => $$"""
        apiVersion: v1
        kind: Secret
        metadata: {name: github-webhook}
        stringData: {secret: "{{GitHubSecret}}"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: signing}
        stringData: {secret: {{SigningSecret}}}
        ---
        apiVersion: fasthook.io/v1alpha1
        kind: WebhookSource
        metadata: {name: github}
        spec:
          path: {{SourcePath}}
          maxBodyBytes: 1024
          verification:
            provider: github
            secretRef: {name: github-webhook, key: secret}
          {{Indent(sourceExtra, 2)}}
        ---
        apiVersion: fasthook.io/v1alpha1
        kind: Destination
        metadata: {name: receiver}
        spec:
          url: {{receiverUrl}}/hooks
          timeout: {{destinationTimeout}}
          signing:
            secretRef: {name: signing, key: secret}
          {{Indent(destinationExtra, 2)}}
        ---
        apiVersion: fasthook.io/v1alpha1
        kind: Connection
        metadata: {name: github-to-receiver}
        spec:
          sourceRef: {name: github}
          destinationRef: {name: receiver}
          retry: {{retry}}
          {{Indent(connectionExtra, 2)}}
        """;

    private static string Indent(string fragment, int spaces) =>
        string.Join("\n" + new string(' ', spaces), fragment.Split('\n'));
}
