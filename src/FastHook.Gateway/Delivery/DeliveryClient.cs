using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Configuration;
using FastHook.Gateway.Signing;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Transformation;

namespace FastHook.Gateway.Delivery;

/// <summary>
/// Sends one attempt of one event to its destination and classifies the result. Without a transform the body is
/// sent byte for byte as the provider sent it, with its original Content-Type.
/// </summary>
public sealed class DeliveryClient(HttpClient http, TimeProvider clock, int excerptBytes)
{
    /// <summary>
    /// Creates the shared HTTP client: pooled connections recycled every two minutes so DNS changes are seen,
    /// no redirects, no cookies, and no client-wide timeout because each attempt has its own. Header values are
    /// written as UTF-8, the encoding Kestrel accepted them in at ingest. HttpClient's default rejects any
    /// non-ASCII value, which made such a request impossible to deliver.
    /// </summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = DecompressionMethods.None,
        RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public Task<(DeliveryOutcome Outcome, TimeSpan Duration)> SendAsync(
        DestinationTarget destination,
        EventEntry entry,
        StoredRequest request,
        CancellationToken cancellationToken) =>
        SendAsync(destination, entry, request, null, cancellationToken);

    /// <param name="transformed">What the connection's transform changed, or null to send the request as captured.</param>
    public async Task<(DeliveryOutcome Outcome, TimeSpan Duration)> SendAsync(
        DestinationTarget destination,
        EventEntry entry,
        StoredRequest request,
        TransformedRequest? transformed,
        CancellationToken cancellationToken)
    {
        using var message = BuildMessage(destination, entry, request, transformed);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(destination.Timeout);

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var excerpt = await ReadExcerptAsync(response, timeout.Token);
            var name = DeliveryOutcome.Classify(status);
            var error = name == DeliveryOutcome.Success ? null : $"The destination answered {status} {response.ReasonPhrase}.";
            return (new DeliveryOutcome(name, status, error, RetryAfter(response), excerpt), Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var error = $"No response within the destination's timeout of {destination.Timeout.TotalSeconds:0.###}s.";
            return (new DeliveryOutcome(RetryOutcomes.Timeout, null, error, null, null), Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException exception)
        {
            var error = $"The connection to the destination failed: {exception.Message}";
            return (new DeliveryOutcome(RetryOutcomes.Network, null, error, null, null), Stopwatch.GetElapsedTime(started));
        }
    }

    private HttpRequestMessage BuildMessage(DestinationTarget destination, EventEntry entry, StoredRequest request, TransformedRequest? transformed)
    {
        var body = transformed?.Body ?? request.Body;
        var message = new HttpRequestMessage(transformed?.Method ?? destination.Method, transformed?.ResolveUrl(destination.Url) ?? destination.Url)
        {
            Content = new ReadOnlyMemoryContent(body),
            Version = HttpVersion.Version11,
        };

        foreach (var (name, value) in transformed?.Headers ?? request.Headers)
        {
            if (!DeliveryHeaders.NotForwarded.Contains(name))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if ((transformed?.ContentType ?? request.Header("Content-Type")) is { } contentType)
        {
            message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        foreach (var (name, value) in destination.Headers)
        {
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (destination.AuthHeaderName is { } authName)
        {
            message.Headers.Remove(authName);
            message.Headers.TryAddWithoutValidation(authName, destination.AuthHeaderValue);
        }

        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        message.Headers.TryAddWithoutValidation(StandardWebhooksSignature.IdHeader, entry.EventId);
        message.Headers.TryAddWithoutValidation(StandardWebhooksSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        if (destination.SigningKeys.Count > 0)
        {
            var signature = StandardWebhooksSignature.CreateHeader(destination.SigningKeys, entry.EventId, timestamp, body.Span);
            message.Headers.TryAddWithoutValidation(StandardWebhooksSignature.SignatureHeader, signature);
        }

        message.Headers.TryAddWithoutValidation(DeliveryHeaders.Attempt, entry.Attempt.ToString(CultureInfo.InvariantCulture));
        message.Headers.TryAddWithoutValidation(DeliveryHeaders.RequestId, entry.RequestId);
        return message;
    }

    private async Task<string?> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (excerptBytes <= 0)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(excerptBytes);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var total = 0;
            while (total < excerptBytes)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(total, excerptBytes - total), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total == 0 ? null : Encoding.UTF8.GetString(buffer, 0, total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not RetryConditionHeaderValue retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }

        return retryAfter.Date is { } date ? date - clock.GetUtcNow() : null;
    }
}
