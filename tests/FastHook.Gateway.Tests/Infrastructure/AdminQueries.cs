using System.Net.Http.Json;
using System.Text.Json;
using FastHook.Gateway.Storage;

namespace FastHook.Gateway.Tests.Infrastructure;

/// <summary>
/// Reads a test gateway's state through its admin API, as an operator would.
/// </summary>
public static class AdminQueries
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<StoredEvent> EventAsync(this GatewayHarness gateway, string eventId, string connection = TestManifests.Connection)
    {
        var document = await gateway.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/connections/{connection}/events/{eventId}");
        return document.GetProperty("event").Deserialize<StoredEvent>(Json)!;
    }

    public static async Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(this GatewayHarness gateway, string eventId, string connection = TestManifests.Connection) =>
        (await gateway.Admin.GetFromJsonAsync<List<AttemptRecord>>($"/api/v1/connections/{connection}/events/{eventId}/attempts", Json))!;

    public static async Task<IReadOnlyList<DeadLetterEntry>> DeadLettersAsync(this GatewayHarness gateway, string connection = TestManifests.Connection)
    {
        var document = await gateway.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/connections/{connection}/deadletters");
        return document.GetProperty("items").Deserialize<List<DeadLetterEntry>>(Json)!;
    }

    public static async Task<IReadOnlyList<StoredEvent>> EventsAsync(this GatewayHarness gateway, string? state = null, string connection = TestManifests.Connection)
    {
        var query = state is null ? "" : "?state=" + state;
        var document = await gateway.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/connections/{connection}/events{query}");
        return document.GetProperty("items").Deserialize<List<StoredEvent>>(Json)!;
    }

    /// <summary>Waits until the event reaches <paramref name="state"/>.</summary>
    public static Task<StoredEvent> WaitForStateAsync(this GatewayHarness gateway, string eventId, string state, TimeSpan timeout) =>
        Eventually.WaitAsync(() => gateway.EventAsync(eventId), stored => stored.State == state, timeout, $"event {eventId} to be {state}");

    /// <summary>Returns the value of a metric series in the gateway's /metrics output, or 0 when absent.</summary>
    public static async Task<double> MetricAsync(this GatewayHarness gateway, string series)
    {
        var text = await gateway.Admin.GetStringAsync("/metrics");
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
