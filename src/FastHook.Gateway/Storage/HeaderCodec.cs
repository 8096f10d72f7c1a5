using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace FastHook.Gateway.Storage;

/// <summary>
/// Stores request headers as a compact JSON array of [name, value] pairs, keeping order and repeated names.
/// </summary>
public static class HeaderCodec
{
    public static byte[] Encode(IHeaderDictionary headers)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var (name, values) in headers)
            {
                foreach (var value in values)
                {
                    writer.WriteStartArray();
                    writer.WriteStringValue(name);
                    writer.WriteStringValue(value);
                    writer.WriteEndArray();
                }
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static IReadOnlyList<KeyValuePair<string, string>> Decode(ReadOnlySpan<byte> json)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (json.IsEmpty)
        {
            return headers;
        }

        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            var name = reader.GetString() ?? "";
            reader.Read();
            var value = reader.GetString() ?? "";
            reader.Read();
            headers.Add(new(name, value));
        }

        return headers;
    }
}
