using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// Reads YAML into plain nodes (dictionaries, lists and string scalars) and walks them by dotted paths, failing
/// with a message that names the missing or mistyped path.
/// </summary>
internal static class YamlNodes
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    /// <summary>
    /// Parses every document of <paramref name="text"/>. A document with no content is returned as null.
    /// </summary>
    public static List<object?> ParseDocuments(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();

        var documents = new List<object?>();
        while (parser.Accept<DocumentStart>(out _))
        {
            documents.Add(Deserializer.Deserialize<object?>(parser));
        }

        return documents;
    }

    public static object? Parse(string text) => Deserializer.Deserialize<object?>(text);

    public static Dictionary<object, object?> Map(object? node, string location) =>
        node as Dictionary<object, object?> ?? throw new InvalidOperationException($"{location} is not a YAML mapping: {Describe(node)}");

    public static List<object?> List(object? node, string location) =>
        node as List<object?> ?? throw new InvalidOperationException($"{location} is not a YAML sequence: {Describe(node)}");

    public static string Scalar(object? node, string location) =>
        node as string ?? throw new InvalidOperationException($"{location} is not a YAML scalar: {Describe(node)}");

    /// <summary>
    /// Returns the node at <paramref name="path"/> ("spec.template.spec"), or null when any step is missing.
    /// </summary>
    public static object? Find(object? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            if (node is not Dictionary<object, object?> map || !map.TryGetValue(key, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static object Get(object? node, string path) =>
        Find(node, path) ?? throw new InvalidOperationException($"{path} is missing.");

    public static Dictionary<object, object?> GetMap(object? node, string path) => Map(Get(node, path), path);

    public static List<object?> GetList(object? node, string path) => List(Get(node, path), path);

    public static string GetScalar(object? node, string path) => Scalar(Get(node, path), path);

    public static List<string> Strings(object? node, string location) =>
        List(node, location).Select((item, index) => Scalar(item, $"{location}[{index}]")).ToList();

    private static string Describe(object? node) => node switch
    {
        null => "null",
        string text => string.Create(CultureInfo.InvariantCulture, $"\"{text}\""),
        _ => node.GetType().Name,
    };
}
