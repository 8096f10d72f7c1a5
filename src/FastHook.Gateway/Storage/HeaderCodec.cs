using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace FastHook.Gateway.Storage;

/// <summary>
/// Stores request headers in the order received, keeping repeated names, as lines of "name:value" joined by
/// "\n". A header name cannot hold ':' and a header value cannot hold a line break, so the text splits back
/// without escaping. Headers that a stored request never needs again are left out: Content-Length (the stored
/// body has a length) and the hop-by-hop Connection and Keep-Alive.
/// Requests stored before this format hold a JSON array of [name, value] pairs; they still decode.
/// </summary>
public static class HeaderCodec
{
    private static readonly HashSet<string> NotStored = new(StringComparer.OrdinalIgnoreCase) { "Content-Length", "Connection", "Keep-Alive" };

    public static byte[] Encode(IHeaderDictionary headers)
    {
        var text = new StringBuilder(256);
        foreach (var (name, values) in headers)
        {
            if (NotStored.Contains(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }

                if (value.AsSpan().ContainsAny('\r', '\n'))
                {
                    // Kestrel rejects line breaks in header values; a request built another way keeps the JSON form.
                    return EncodeJson(headers);
                }

                if (text.Length > 0)
                {
                    text.Append('\n');
                }

                text.Append(name).Append(':').Append(value);
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static IReadOnlyList<KeyValuePair<string, string>> Decode(ReadOnlySpan<byte> stored)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (stored.IsEmpty)
        {
            return headers;
        }

        if (stored[0] == (byte)'[')
        {
            return DecodeJson(stored);
        }

        foreach (var range in stored.Split((byte)'\n'))
        {
            var line = stored[range];
            var colon = line.IndexOf((byte)':');
            if (colon > 0)
            {
                headers.Add(new(Encoding.UTF8.GetString(line[..colon]), Encoding.UTF8.GetString(line[(colon + 1)..])));
            }
        }

        return headers;
    }

    private static byte[] EncodeJson(IHeaderDictionary headers)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var (name, values) in headers)
            {
                if (NotStored.Contains(name))
                {
                    continue;
                }

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

    private static List<KeyValuePair<string, string>> DecodeJson(ReadOnlySpan<byte> json)
    {
        var headers = new List<KeyValuePair<string, string>>();
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
