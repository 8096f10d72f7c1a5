using System.Buffers;
using System.Text.Json;
using FastHook.Gateway.Storage;
using Microsoft.AspNetCore.WebUtilities;

namespace FastHook.Gateway.Filtering;

/// <summary>
/// One captured request in the forms filters read, each built on first use and shared by every connection of the
/// request's source: headers with lower-case names, the query, the path, the body parsed as JSON, and the CEL variables.
/// </summary>
public sealed class FilterInput(StoredRequest request) : IDisposable
{
    private JsonDocument? _text;
    private JsonDocument? _body;
    private bool _bodyParsed;
    private Dictionary<string, object?>? _variables;

    public StoredRequest Request => request;

    public JsonElement Headers => Text.RootElement.GetProperty("headers");

    public JsonElement Query => Text.RootElement.GetProperty("query");

    public JsonElement Path => Text.RootElement.GetProperty("path");

    /// <summary>The body parsed as JSON, or null when it is empty or not JSON. Its Content-Type is not consulted.</summary>
    public JsonElement? Body
    {
        get
        {
            if (!_bodyParsed)
            {
                _bodyParsed = true;
                _body = TryParseJson(request.Body);
            }

            return _body?.RootElement;
        }
    }

    /// <summary>The CEL variables: <c>request</c> with method, path, query, headers and body.</summary>
    public IDictionary<string, object?> CelVariables => _variables ??= new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        [CelFilter.Variable] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["method"] = request.Method,
            ["path"] = request.Path,
            ["query"] = CelValues.From(Query),
            ["headers"] = CelValues.From(Headers),
            ["body"] = Body is { } body ? CelValues.From(body) : null,
        },
    };

    private JsonDocument Text => _text ??= BuildText(request);

    /// <summary>Parses <paramref name="body"/> as JSON; returns null for an empty body or one that is not JSON.</summary>
    public static JsonDocument? TryParseJson(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the request's headers, query and path as one JSON document. Headers are keyed by lower-case name, and
    /// a repeated header is one value joined by ", ". A repeated query parameter is a list of its values.
    /// </summary>
    private static JsonDocument BuildText(StoredRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();

            writer.WriteStartObject("headers");
            foreach (var (name, values) in GroupHeaders(request.Headers))
            {
                writer.WriteString(name, string.Join(", ", values));
            }

            writer.WriteEndObject();

            writer.WriteStartObject("query");
            foreach (var (name, values) in QueryHelpers.ParseQuery(request.Query))
            {
                if (values.Count == 1)
                {
                    writer.WriteString(name, values[0]);
                    continue;
                }

                writer.WriteStartArray(name);
                foreach (var value in values)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();

            writer.WriteString("path", request.Path);
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    /// <summary>Groups headers by lower-case name, in the order each name first came.</summary>
    public static IEnumerable<KeyValuePair<string, List<string>>> GroupHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var groups = new List<KeyValuePair<string, List<string>>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var key = name.ToLowerInvariant();
            if (!index.TryGetValue(key, out var position))
            {
                position = groups.Count;
                index[key] = position;
                groups.Add(new(key, []));
            }

            groups[position].Value.Add(value);
        }

        return groups;
    }

    public void Dispose()
    {
        _text?.Dispose();
        _body?.Dispose();
    }
}
