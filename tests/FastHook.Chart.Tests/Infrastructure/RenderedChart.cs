namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// The Kubernetes objects that one `helm template` run rendered.
/// </summary>
internal sealed class RenderedChart
{
    private RenderedChart(IReadOnlyList<KubernetesObject> objects)
    {
        Objects = objects;
    }

    public IReadOnlyList<KubernetesObject> Objects { get; }

    public static RenderedChart Parse(string manifests)
    {
        var objects = new List<KubernetesObject>();
        var documents = YamlNodes.ParseDocuments(manifests);
        for (var index = 0; index < documents.Count; index++)
        {
            if (documents[index] is { } document)
            {
                objects.Add(new KubernetesObject(YamlNodes.Map(document, $"document {index + 1}"), index + 1));
            }
        }

        return new RenderedChart(objects);
    }

    public IEnumerable<KubernetesObject> OfKind(string kind) => Objects.Where(item => item.Kind == kind);

    public KubernetesObject Single(string kind, string name)
    {
        var matches = Objects.Where(item => item.Kind == kind && item.Name == name).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException(
                $"Expected one {kind} named {name}, found {matches.Count}. Rendered: {string.Join(", ", Objects.Select(item => $"{item.Kind}/{item.Name}"))}");
    }

    public KubernetesObject Single(string kind, string name, string objectNamespace)
    {
        var matches = Objects.Where(item => item.Kind == kind && item.Name == name && item.Namespace == objectNamespace).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one {kind} {objectNamespace}/{name}, found {matches.Count}.");
    }

    public bool Contains(string kind, string name) => Objects.Any(item => item.Kind == kind && item.Name == name);
}

/// <summary>
/// One rendered object, with its document number in the output for messages.
/// </summary>
internal sealed class KubernetesObject(Dictionary<object, object?> root, int document)
{
    public Dictionary<object, object?> Root { get; } = root;

    public int Document { get; } = document;

    public string? ApiVersion => YamlNodes.Find(Root, "apiVersion") as string;

    public string? Kind => YamlNodes.Find(Root, "kind") as string;

    public string? Name => YamlNodes.Find(Root, "metadata.name") as string;

    public string? Namespace => YamlNodes.Find(Root, "metadata.namespace") as string;

    public object? Find(string path) => YamlNodes.Find(Root, path);

    public Dictionary<object, object?> GetMap(string path) => YamlNodes.GetMap(Root, path);

    public List<object?> GetList(string path) => YamlNodes.GetList(Root, path);

    public string GetScalar(string path) => YamlNodes.GetScalar(Root, path);

    /// <summary>
    /// Returns the container named <paramref name="name"/> of a Deployment's or StatefulSet's pod template.
    /// </summary>
    public Dictionary<object, object?> Container(string name) =>
        GetList("spec.template.spec.containers")
            .Select(item => YamlNodes.Map(item, "container"))
            .Single(container => (container["name"] as string) == name);

    public override string ToString() => $"{Kind}/{Name} (document {Document})";
}
