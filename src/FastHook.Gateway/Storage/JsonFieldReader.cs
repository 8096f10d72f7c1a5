using System.Text;
using System.Text.Json;

namespace FastHook.Gateway.Storage;

/// <summary>
/// Reads one scalar field of a JSON body by a dotted path without parsing the whole document into objects,
/// for deduplication and ordering keys.
/// </summary>
public static class JsonFieldReader
{
    /// <summary>
    /// Returns the string, or the number's text as written, at <paramref name="path"/> in a JSON object body;
    /// null when the body is not JSON or the path leads elsewhere.
    /// </summary>
    public static string? ReadScalar(ReadOnlySpan<byte> body, string[] path)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read())
            {
                return null;
            }

            foreach (var segment in path)
            {
                if (reader.TokenType != JsonTokenType.StartObject || !MoveToProperty(ref reader, segment))
                {
                    return null;
                }
            }

            return reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Advances a reader positioned on an object's start to the value of its property <paramref name="name"/>.
    /// </summary>
    private static bool MoveToProperty(ref Utf8JsonReader reader, string name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var matches = reader.ValueTextEquals(name);
            reader.Read();
            if (matches)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }
}
