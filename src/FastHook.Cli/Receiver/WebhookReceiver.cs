using System.Globalization;
using System.Text;
using FastHook.Api;
using FastHook.Gateway.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FastHook.Cli.Receiver;

/// <summary>
/// A small HTTP receiver for trying FastHook: prints every delivery with its headers, body and whether its
/// Standard Webhooks signature verifies, and answers with a chosen status.
/// </summary>
internal sealed class WebhookReceiver(TextWriter output, byte[]? signingKey, int status, int failFirst, int maxBodyPrint)
{
    private int _count;

    public static WebApplication Build(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        return builder.Build();
    }

    public async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var number = Interlocked.Increment(ref _count);
        var answer = number <= failFirst ? StatusCodes.Status503ServiceUnavailable : status;

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"--- delivery {number}: {context.Request.Method} {context.Request.Path}{context.Request.QueryString} -> answering {answer}");
        foreach (var (name, values) in context.Request.Headers.OrderBy(header => header.Key, StringComparer.OrdinalIgnoreCase))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{name}: {values}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"signature: {DescribeSignature(context.Request.Headers, body)}");
        text.AppendLine();
        var shown = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, maxBodyPrint));
        text.AppendLine(body.Length > maxBodyPrint ? shown + $"... ({body.Length} bytes in all)" : shown);
        await output.WriteAsync(text.ToString());
        await output.FlushAsync();

        context.Response.StatusCode = answer;
    }

    private string DescribeSignature(IHeaderDictionary headers, byte[] body)
    {
        if (signingKey is null)
        {
            return "not checked (start the receiver with --secret whsec_... to check it)";
        }

        var id = headers[StandardWebhooksSignature.IdHeader].ToString();
        var timestampText = headers[StandardWebhooksSignature.TimestampHeader].ToString();
        var signatures = headers[StandardWebhooksSignature.SignatureHeader].ToString();
        if (signatures.Length == 0 || !long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return "INVALID: webhook-signature or webhook-timestamp is missing";
        }

        var expected = StandardWebhooksSignature.CreateHeader([signingKey], id, timestamp, body);
        var valid = signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(signature => signature == expected);
        return valid ? "valid (Standard Webhooks)" : "INVALID: no signature in webhook-signature matches the secret";
    }

    public static byte[]? DecodeSecret(string? secret)
    {
        if (secret is null)
        {
            return null;
        }

        return StandardWebhooksSecret.TryDecode(Encoding.UTF8.GetBytes(secret), out var key, out var problem)
            ? key
            : throw new ArgumentException($"--secret is not a usable Standard Webhooks secret: {problem}", nameof(secret));
    }
}
