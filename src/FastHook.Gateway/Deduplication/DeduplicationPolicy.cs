using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FastHook.Api;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Verification;

namespace FastHook.Gateway.Deduplication;

/// <summary>
/// A source's <c>spec.deduplication</c>: where a request's delivery id is found (a header or a dotted JSON path)
/// and how long it is remembered. A request without a usable delivery id is captured as if no policy were set.
/// </summary>
public sealed class DeduplicationPolicy
{
    /// <summary>
    /// The window when a source sets none. Stripe retries a failed delivery for up to three days, so a Stripe source
    /// that must catch every redelivery sets a longer window.
    /// </summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);

    /// <summary>The longest delivery id used; a longer header value or field is treated as absent.</summary>
    public const int MaxDeliveryIdLength = 1024;

    private readonly string? _header;
    private readonly string[]? _jsonPath;

    private DeduplicationPolicy(string? header, string[]? jsonPath, TimeSpan window)
    {
        _header = header;
        _jsonPath = jsonPath;
        Window = window;
    }

    public TimeSpan Window { get; }

    /// <summary>Builds the policy from validated settings, or returns null when the source has none.</summary>
    public static DeduplicationPolicy? Create(DeduplicationSpec? spec)
    {
        if (spec is null)
        {
            return null;
        }

        var window = Durations.ParseOrDefault(spec.Window, DefaultWindow);
        return spec.Header is { } header
            ? new DeduplicationPolicy(header, null, window)
            : new DeduplicationPolicy(null, spec.JsonField!.Split('.'), window);
    }

    /// <summary>
    /// Returns the Redis key for this request's delivery id, or null when the request carries none.
    /// </summary>
    public DeduplicationKey? KeyFor(IncomingRequest request, SourceKeys source)
    {
        var deliveryId = _header is not null ? ReadHeader(request, _header) : JsonFieldReader.ReadScalar(request.Body.Span, _jsonPath!);
        if (string.IsNullOrEmpty(deliveryId) || deliveryId.Length > MaxDeliveryIdLength)
        {
            return null;
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(deliveryId)));
        return new DeduplicationKey(source.Deduplication(digest), Window);
    }

    /// <summary>Returns the header's value when it appears once; a repeated header is no delivery id.</summary>
    private static string? ReadHeader(IncomingRequest request, string header)
    {
        var values = request.Headers[header];
        return values.Count == 1 ? values[0]?.Trim() : null;
    }
}
