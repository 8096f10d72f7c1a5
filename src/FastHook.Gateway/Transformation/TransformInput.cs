using System.Buffers;
using System.Text;
using System.Text.Json;
using FastHook.Gateway.Delivery;
using FastHook.Gateway.Filtering;
using FastHook.Gateway.Storage;
using Microsoft.AspNetCore.WebUtilities;

namespace FastHook.Gateway.Transformation;

/// <summary>
/// The <c>request</c> argument of a transform, as JSON: method, path, query, the headers a delivery would forward
/// (lower-case names, repeated ones joined by ", ") and the body, parsed when it is JSON and as text otherwise.
/// </summary>
internal sealed class TransformInput : IDisposable
{
    private readonly JsonDocument _document;

    private TransformInput(JsonDocument document, string json)
    {
        _document = document;
        Json = json;
    }

    public string Json { get; }

    public JsonElement Method => _document.RootElement.GetProperty("method");

    public JsonElement Path => _document.RootElement.GetProperty("path");

    public JsonElement Query => _document.RootElement.GetProperty("query");

    public static TransformInput Create(StoredRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(request.Body.Length + 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("method", request.Method);
            writer.WriteString("path", request.Path);

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

            writer.WriteStartObject("headers");
            var forwarded = request.Headers.Where(header => IsInput(header.Key));
            foreach (var (name, values) in FilterInput.GroupHeaders(forwarded))
            {
                writer.WriteString(name, string.Join(", ", values));
            }

            writer.WriteEndObject();

            writer.WritePropertyName("body");
            using (var body = FilterInput.TryParseJson(request.Body))
            {
                if (body is not null)
                {
                    body.RootElement.WriteTo(writer);
                }
                else
                {
                    writer.WriteStringValue(Encoding.UTF8.GetString(request.Body.Span));
                }
            }

            writer.WriteEndObject();
        }

        var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new TransformInput(document, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Headers a delivery forwards, and Content-Type, which it sends as the content's type.</summary>
    private static bool IsInput(string name) =>
        !DeliveryHeaders.NotForwarded.Contains(name) || name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase);

    public void Dispose() => _document.Dispose();
}
