using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace FastHook.Operator.GatewayObjects;

/// <summary>
/// Finds the first unknown key in a gateway settings file and reports it with its full path, line and the keys
/// allowed there. The deserializer would reject it too, but its message names only a C# type.
/// </summary>
internal static class GatewaySettingsKeys
{
    /// <exception cref="InvalidDataException">The file has more than one YAML document, or an unknown key.</exception>
    /// <exception cref="YamlDotNet.Core.YamlException">The file is not valid YAML.</exception>
    public static void Check(string text, string source)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count > 1)
        {
            throw new InvalidDataException($"{source}: contains {stream.Documents.Count} YAML documents: write every setting into one document");
        }

        if (stream.Documents.Count == 1)
        {
            Visit(stream.Documents[0].RootNode, typeof(GatewaySettings), "", source);
        }
    }

    /// <summary>The keys a YAML mapping may have for <paramref name="type"/>, with the property each one sets.</summary>
    public static IReadOnlyDictionary<string, PropertyInfo> KeysOf(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanWrite)
            .ToDictionary(KeyOf, StringComparer.Ordinal);

    private static void Visit(YamlNode node, Type type, string path, string source)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        switch (node)
        {
            case YamlMappingNode mapping when DictionaryValueType(type) is { } valueType:
                foreach (var (key, value) in mapping.Children)
                {
                    Visit(value, valueType, Join(path, Scalar(key)), source);
                }

                break;

            case YamlMappingNode mapping when IsObject(type):
                var keys = KeysOf(type);
                foreach (var (keyNode, value) in mapping.Children)
                {
                    var key = Scalar(keyNode);
                    if (!keys.TryGetValue(key, out var property))
                    {
                        throw new InvalidDataException(UnknownKey(source, keyNode.Start.Line, Join(path, key), path, keys.Keys));
                    }

                    Visit(value, property.PropertyType, Join(path, key), source);
                }

                break;

            case YamlSequenceNode sequence when ItemType(type) is { } itemType:
                for (var index = 0; index < sequence.Children.Count; index++)
                {
                    Visit(sequence.Children[index], itemType, $"{path}[{index}]", source);
                }

                break;

            default:
                // A scalar, or a value of the wrong shape, which the deserializer reports with its line.
                break;
        }
    }

    private static string UnknownKey(string source, long line, string key, string parent, IEnumerable<string> allowed) =>
        $"{source}: line {line}: unknown key \"{key}\". The keys allowed {(parent.Length == 0 ? "at the top level" : "in " + parent)} are "
        + string.Join(", ", allowed.Order(StringComparer.Ordinal))
        + ". Correct or remove the key (docs/operator.md lists every key). When the Helm chart wrote this file, run the operator image of the chart's version, because an older operator rejects keys that it does not know.";

    /// <summary>The key of a property: its Kubernetes JSON name on Kubernetes types, else its camelCase name.</summary>
    private static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];

    /// <summary>Whether values of <paramref name="type"/> are YAML mappings with fixed keys.</summary>
    private static bool IsObject(Type type) =>
        type.IsClass
        && type != typeof(string)
        && type != typeof(IntOrString)
        && type != typeof(ResourceQuantity)
        && ItemType(type) is null
        && DictionaryValueType(type) is null;

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string)
        && typeof(IDictionary<,>).MakeGenericType(key, value).IsAssignableFrom(type)
            ? value
            : null;

    private static Type? ItemType(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(IEnumerable<>).MakeGenericType(item).IsAssignableFrom(type)
            ? item
            : null;

    private static string Scalar(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : node.ToString();

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
