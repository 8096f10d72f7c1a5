using FastHook.Api.V1Alpha1;

namespace FastHook.Api.Manifests;

/// <summary>
/// The resources and Secrets read from a set of manifest files, each with the file it came from.
/// </summary>
public sealed class ManifestSet
{
    public List<WebhookSource> Sources { get; } = [];

    public List<Destination> Destinations { get; } = [];

    public List<Connection> Connections { get; } = [];

    /// <summary>Secret data by "namespace/name", then by key.</summary>
    public Dictionary<string, Dictionary<string, byte[]>> Secrets { get; } = new(StringComparer.Ordinal);

    /// <summary>The file each resource or Secret came from, by "Kind namespace/name".</summary>
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Resources ("Kind namespace/name") that were found but could not be read; references to them are not
    /// reported again as missing.
    /// </summary>
    public HashSet<string> Unreadable { get; } = new(StringComparer.Ordinal);

    public bool Exists(string kind, string ns, string name) => Files.ContainsKey(Describe(kind, $"{ns}/{name}")) || Unreadable.Contains(Describe(kind, $"{ns}/{name}"));

    public static string Describe(string kind, string qualifiedName) => $"{kind} {qualifiedName}";

    public string FileOf(string kind, string qualifiedName) =>
        Files.TryGetValue(Describe(kind, qualifiedName), out var file) ? file : "(unknown file)";
}
