using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FastHook.Cli.Commands;

/// <summary>
/// Calls the gateway's admin API and prints its JSON answers.
/// </summary>
internal sealed class AdminClient(Uri baseUrl, string? token) : IDisposable
{
    private static readonly JsonSerializerOptions PrettyJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<int> SendAsync(HttpMethod method, string path, object? body, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            await error.WriteLineAsync($"Could not reach the admin API at {baseUrl}: {exception.Message}. Is the gateway running, and is --admin-url its management address?");
            return ExitCodes.Failed;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var pretty = Prettify(text);
            if (!response.IsSuccessStatusCode)
            {
                await error.WriteLineAsync($"The admin API answered {(int)response.StatusCode}: {pretty}");
                return ExitCodes.Failed;
            }

            await output.WriteLineAsync(pretty);
            return ExitCodes.Success;
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Prettify(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return JsonSerializer.Serialize(document.RootElement, PrettyJson);
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
