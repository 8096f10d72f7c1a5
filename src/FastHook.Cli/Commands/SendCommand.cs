using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FastHook.Api;
using FastHook.Gateway.Signing;

namespace FastHook.Cli.Commands;

/// <summary>
/// <c>fasthook send</c>: sends a test webhook signed the way a provider signs, for trying a source.
/// </summary>
internal static class SendCommand
{
    private static readonly string[] Schemes = ["github", "standardWebhooks", "none"];

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The source's ingest URL, such as http://127.0.0.1:8080/e/default/github", Required = true };
        var scheme = new Option<string>("--provider") { Description = "How to sign: github, standardWebhooks or none", DefaultValueFactory = _ => "github" };
        var secret = new Option<string>("--secret") { Description = "The source's secret (whsec_... for standardWebhooks)" };
        var data = new Option<string>("--data") { Description = "The request body", DefaultValueFactory = _ => "{\"hello\":\"world\"}" };
        var contentType = new Option<string>("--content-type") { Description = "The body's Content-Type", DefaultValueFactory = _ => "application/json" };
        var headers = new Option<string[]>("--header", "-H") { Description = "Extra header as Name: value; repeat for more", AllowMultipleArgumentsPerToken = false };

        var command = new Command("send", "Send a test webhook signed the way a provider signs it, and print the response")
        {
            url, scheme, secret, data, contentType, headers,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
            {
                await Console.Error.WriteLineAsync($"--url \"{parse.GetValue(url)}\" is not an absolute http or https URL, such as http://127.0.0.1:8080/e/default/github.");
                return ExitCodes.InvalidConfiguration;
            }

            var provider = parse.GetValue(scheme)!;
            if (!Schemes.Contains(provider))
            {
                await Console.Error.WriteLineAsync($"--provider \"{provider}\" is not supported here: use {string.Join(", ", Schemes)}.");
                return ExitCodes.InvalidConfiguration;
            }

            var secretText = parse.GetValue(secret);
            if (provider != "none" && string.IsNullOrEmpty(secretText))
            {
                await Console.Error.WriteLineAsync($"--secret is required to sign as {provider}.");
                return ExitCodes.InvalidConfiguration;
            }

            var body = Encoding.UTF8.GetBytes(parse.GetValue(data)!);
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", parse.GetValue(contentType));
            foreach (var header in parse.GetValue(headers) ?? [])
            {
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    await Console.Error.WriteLineAsync($"--header \"{header}\" is not in the form Name: value.");
                    return ExitCodes.InvalidConfiguration;
                }

                request.Headers.TryAddWithoutValidation(header[..colon].Trim(), header[(colon + 1)..].Trim());
            }

            if (provider == "github")
            {
                var digest = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretText!), body);
                request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(digest));
                if (!request.Headers.Contains("X-GitHub-Delivery"))
                {
                    request.Headers.TryAddWithoutValidation("X-GitHub-Delivery", Guid.NewGuid().ToString());
                }
            }
            else if (provider == "standardWebhooks")
            {
                if (!StandardWebhooksSecret.TryDecode(Encoding.UTF8.GetBytes(secretText!), out var key, out var problem))
                {
                    await Console.Error.WriteLineAsync($"--secret is not a usable Standard Webhooks secret: {problem}");
                    return ExitCodes.InvalidConfiguration;
                }

                var id = request.Headers.TryGetValues(StandardWebhooksSignature.IdHeader, out var ids) ? ids.First() : "msg_" + Guid.NewGuid().ToString("N");
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                request.Headers.Remove(StandardWebhooksSignature.IdHeader);
                request.Headers.TryAddWithoutValidation(StandardWebhooksSignature.IdHeader, id);
                request.Headers.TryAddWithoutValidation(StandardWebhooksSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
                request.Headers.TryAddWithoutValidation(StandardWebhooksSignature.SignatureHeader, StandardWebhooksSignature.CreateHeader([key], id, timestamp, body));
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                var requestId = response.Headers.TryGetValues("X-FastHook-Request-Id", out var values) ? $" (request {values.First()})" : "";
                await Console.Out.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}{requestId}: {text}");
                return response.IsSuccessStatusCode ? ExitCodes.Success : ExitCodes.Failed;
            }
            catch (HttpRequestException exception)
            {
                await Console.Error.WriteLineAsync($"Could not send to {target}: {exception.Message}");
                return ExitCodes.Failed;
            }
        });

        return command;
    }
}
