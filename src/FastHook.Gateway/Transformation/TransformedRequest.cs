using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FastHook.Gateway.Delivery;
using FastHook.Gateway.Filtering;

namespace FastHook.Gateway.Transformation;

/// <summary>
/// What a transform changed in a delivery. A null member means "as without a transform": the captured body and
/// headers, the destination's method and URL.
/// </summary>
public sealed partial class TransformedRequest
{
    private static readonly string[] Fields = ["body", "headers", "method", "path", "query"];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public ReadOnlyMemory<byte>? Body { get; private init; }

    /// <summary>The Content-Type to send; null keeps the captured request's.</summary>
    public string? ContentType { get; private init; }

    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; private init; }

    public HttpMethod? Method { get; private init; }

    /// <summary>A path appended to the destination URL's path.</summary>
    public string? Path { get; private init; }

    /// <summary>Query parameters appended to the destination URL's query.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Query { get; private init; }

    /// <summary>Returns the URL to deliver to: the destination URL with <see cref="Path"/> and <see cref="Query"/> appended.</summary>
    public Uri ResolveUrl(Uri destination)
    {
        if (Path is null && Query is null)
        {
            return destination;
        }

        var builder = new UriBuilder(destination);
        if (Path is not null)
        {
            builder.Path = builder.Path.TrimEnd('/') + Path;
        }

        if (Query is not null)
        {
            var added = string.Join("&", Query.Select(pair => Uri.EscapeDataString(pair.Key) + "=" + Uri.EscapeDataString(pair.Value)));
            var existing = builder.Query.TrimStart('?');
            builder.Query = existing.Length == 0 ? added : existing + "&" + added;
        }

        return builder.Uri;
    }

    /// <summary>
    /// Reads the serialised result of a transform. Method, path and query change the delivery only when they differ
    /// from the input's, so a script may return the request it was given with some fields changed.
    /// Throws <see cref="InvalidTransformResultException"/> naming the field that cannot be delivered.
    /// </summary>
    internal static TransformedRequest Parse(string json, TransformInput input)
    {
        using var document = JsonDocument.Parse(json);
        var result = document.RootElement;
        foreach (var property in result.EnumerateObject())
        {
            if (!Fields.Contains(property.Name))
            {
                throw Invalid($"transform returned the unknown field \"{property.Name}\": the result has {string.Join(", ", Fields)}");
            }
        }

        ReadOnlyMemory<byte>? body = null;
        string? contentType = null;
        if (result.TryGetProperty("body", out var bodyValue))
        {
            // A string is sent as its text; any other value as JSON.
            var isText = bodyValue.ValueKind == JsonValueKind.String;
            body = Encoding.UTF8.GetBytes(isText ? bodyValue.GetString()! : bodyValue.GetRawText());
            contentType = isText ? null : "application/json";
        }

        List<KeyValuePair<string, string>>? headers = null;
        if (result.TryGetProperty("headers", out var headersValue))
        {
            headers = ReadHeaders(headersValue, out var headerContentType);
            contentType = headerContentType ?? contentType;
        }

        return new TransformedRequest
        {
            Body = body,
            ContentType = contentType,
            Headers = headers,
            Method = Changed(result, "method", input.Method) is { } method ? ReadMethod(method) : null,
            Path = Changed(result, "path", input.Path) is { } path ? ReadPath(path) : null,
            Query = Changed(result, "query", input.Query) is { } query ? ReadQuery(query) : null,
        };
    }

    private static JsonElement? Changed(JsonElement result, string name, JsonElement original) =>
        result.TryGetProperty(name, out var value) && !JsonMatch.Equal(value, original, text: false) ? value : null;

    private static List<KeyValuePair<string, string>> ReadHeaders(JsonElement value, out string? contentType)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"transform returned headers as {value.ValueKind.ToString().ToLowerInvariant()}, not an object of names and values");
        }

        contentType = null;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in value.EnumerateObject())
        {
            var name = header.Name;
            if (!HeaderName().IsMatch(name))
            {
                throw Invalid($"transform returned the header name \"{name}\", which is not a valid HTTP header name");
            }

            var isContentType = name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase);
            if (!isContentType && DeliveryHeaders.NotForwarded.Contains(name))
            {
                throw Invalid($"transform returned the header \"{name}\", which the gateway sets or never forwards: leave out {string.Join(", ", DeliveryHeaders.NotForwarded.Where(reserved => reserved != "Content-Type"))}");
            }

            foreach (var text in HeaderValues(name, header.Value))
            {
                if (isContentType)
                {
                    contentType = text;
                }
                else
                {
                    headers.Add(new(name, text));
                }
            }
        }

        return headers;
    }

    /// <summary>Reads a header or query value: a string, number or boolean, a list of them, or null for none.</summary>
    private static IEnumerable<string> HeaderValues(string name, JsonElement value)
    {
        var items = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
        foreach (var item in items)
        {
            var text = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => item.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw Invalid($"transform returned \"{name}\" as {item.ValueKind.ToString().ToLowerInvariant()}: use a string, number, boolean, or a list of them"),
            };

            if (text is null)
            {
                continue;
            }

            if (text.Any(c => char.IsControl(c) && c != '\t'))
            {
                throw Invalid($"transform returned \"{name}\" with a control character such as a line break, which HTTP does not allow");
            }

            yield return text;
        }
    }

    private static HttpMethod ReadMethod(JsonElement value)
    {
        var method = value.ValueKind == JsonValueKind.String ? value.GetString()!.ToUpperInvariant() : null;
        if (method is null || !Methods.Contains(method))
        {
            throw Invalid($"transform returned the method {value.GetRawText()}: use one of {string.Join(", ", Methods)}");
        }

        return new HttpMethod(method);
    }

    private static string ReadPath(JsonElement value)
    {
        var path = value.ValueKind == JsonValueKind.String ? value.GetString()! : null;
        if (path is null || !path.StartsWith('/') || path.Length > 2048 || path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '?' or '#' or '\\'))
        {
            throw Invalid($"transform returned the path {value.GetRawText()}: a path starts with '/', has no spaces, '?', '#' or '\\', and at most 2048 characters");
        }

        // "." and ".." would let a path climb out of the destination URL's own path.
        if (path.Split('/').Any(segment => segment is "." or ".."))
        {
            throw Invalid($"transform returned the path \"{path}\", which has a \".\" or \"..\" segment");
        }

        return path;
    }

    private static List<KeyValuePair<string, string>> ReadQuery(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"transform returned query as {value.ValueKind.ToString().ToLowerInvariant()}, not an object of names and values");
        }

        var query = new List<KeyValuePair<string, string>>();
        foreach (var parameter in value.EnumerateObject())
        {
            foreach (var text in HeaderValues(parameter.Name, parameter.Value))
            {
                query.Add(new(parameter.Name, text));
            }
        }

        return query;
    }

    private static InvalidTransformResultException Invalid(string message) => new(message);

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex HeaderName();
}
