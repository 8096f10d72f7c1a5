using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;
using StackExchange.Redis;

namespace FastHook.Gateway.Management;

/// <summary>
/// /healthz (the process runs), /readyz (Redis answers a PING in time) and /metrics.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>How long /readyz waits for Redis; the check keeps its own deadline instead of trusting a Redis timeout.</summary>
    public static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(2);

    public static void Map(IEndpointRouteBuilder app, GatewayServices services)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));

        app.MapGet("/readyz", async () =>
        {
            try
            {
                await services.Redis.GetDatabase().PingAsync().WaitAsync(ReadinessTimeout);
                return Results.Text("ok\n");
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                return Results.Text("Redis is not reachable: " + exception.GetType().Name + "\n", statusCode: 503);
            }
        });

        app.Map("/metrics", async context =>
        {
            context.Response.ContentType = PrometheusConstants.ExporterContentTypeValue.ToString();
            await services.Metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
    }
}
