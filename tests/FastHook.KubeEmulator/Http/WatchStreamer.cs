using System.Globalization;
using System.Net.Mime;
using System.Text;
using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Selectors;
using FastHook.KubeEmulator.Storage;
using Microsoft.AspNetCore.Http;

namespace FastHook.KubeEmulator.Http;

/// <summary>
/// Writes a watch as the API server does: a chunked response of JSON lines {"type": ..., "object": ...},
/// flushed one by one, with periodic BOOKMARK lines on request, ended by timeoutSeconds.
/// </summary>
internal sealed class WatchStreamer(ObjectStore store, KubeApiEmulatorOptions options, CancellationToken stopping)
{
    public async Task StreamAsync(HttpContext context, ResourceScope scope, (LabelSelector Labels, FieldSelector Fields) selectors)
    {
        var query = context.Request.Query;
        var timeout = ReadTimeout(query["timeoutSeconds"]);
        var bookmarks = query["allowWatchBookmarks"].ToString() is "true" or "1";
        var (subscription, initial) = store.OpenWatch(scope, selectors.Labels, selectors.Fields, query["resourceVersion"]);

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = MediaTypeNames.Application.Json;
        try
        {
            await response.StartAsync(context.RequestAborted);
            foreach (var line in initial)
            {
                await WriteLineAsync(response, line, scope, context.RequestAborted);
            }

            await response.Body.FlushAsync(context.RequestAborted);
            if (subscription is not null)
            {
                await PumpAsync(context, scope, subscription, timeout, bookmarks);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or the emulator is stopping, so the stream is over.
        }
        catch (IOException)
        {
            // The connection dropped while a line was being written.
        }
        finally
        {
            if (subscription is not null)
            {
                store.EndWatch(subscription);
                subscription.Dispose();
            }
        }
    }

    private async Task PumpAsync(HttpContext context, ResourceScope scope, WatchSubscription subscription, TimeSpan timeout, bool bookmarks)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, subscription.Closed, stopping);
        var deadline = DateTimeOffset.UtcNow + timeout;
        var nextBookmark = DateTimeOffset.UtcNow + options.BookmarkInterval;

        while (!ended.IsCancellationRequested)
        {
            // A stalled watch keeps its connection and sends nothing, past its timeout too, until closed.
            if (subscription.Stalled)
            {
                await Task.Delay(Timeout.Infinite, ended.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            var now = DateTimeOffset.UtcNow;
            if (now >= deadline)
            {
                return;
            }

            var wake = bookmarks && nextBookmark < deadline ? nextBookmark : deadline;
            if (await WaitForLinesAsync(subscription, wake - now, ended.Token))
            {
                if (subscription.Stalled)
                {
                    continue;
                }

                while (subscription.Lines.Reader.TryRead(out var line))
                {
                    await WriteLineAsync(context.Response, line, scope, ended.Token);
                }

                await context.Response.Body.FlushAsync(ended.Token);
            }
            else if (bookmarks && DateTimeOffset.UtcNow >= nextBookmark && !subscription.Stalled)
            {
                if (store.Bookmark(subscription, scope) is { } bookmark)
                {
                    await WriteLineAsync(context.Response, bookmark, scope, ended.Token);
                    await context.Response.Body.FlushAsync(ended.Token);
                }

                nextBookmark = DateTimeOffset.UtcNow + options.BookmarkInterval;
            }
        }
    }

    /// <summary>Waits up to <paramref name="wait"/> for queued lines. Returns false when the wait ran out or the stream ended.</summary>
    private static async Task<bool> WaitForLinesAsync(WatchSubscription subscription, TimeSpan wait, CancellationToken ended)
    {
        using var waitLimit = CancellationTokenSource.CreateLinkedTokenSource(ended);
        waitLimit.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        try
        {
            return await subscription.Lines.Reader.WaitToReadAsync(waitLimit.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WriteLineAsync(HttpResponse response, WatchLine line, ResourceScope scope, CancellationToken cancellationToken)
    {
        var objectJson = line.ObjectJson;
        if (line.Type != "ERROR" && scope.Version != scope.Type.StorageVersion)
        {
            var converted = JsonNode.Parse(objectJson)!.AsObject();
            converted["apiVersion"] = scope.Type.ApiVersion(scope.Version);
            objectJson = converted.ToJsonString();
        }

        var text = $"{{\"type\":\"{line.Type}\",\"object\":{objectJson}}}\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    private TimeSpan ReadTimeout(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return options.DefaultWatchTimeout;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw ApiErrors.BadRequest($"timeoutSeconds=\"{text}\" must be a positive whole number of seconds");
    }
}
