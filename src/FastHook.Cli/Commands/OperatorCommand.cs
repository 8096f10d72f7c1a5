using System.CommandLine;
using FastHook.Operator.GatewayObjects;
using FastHook.Operator.Hosting;
using k8s;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Cli.Commands;

/// <summary>
/// <c>fasthook operator</c>: runs the control plane, which reconciles FastHook resources into a running gateway.
/// </summary>
internal static class OperatorCommand
{
    public static Command Create()
    {
        var defaults = new OperatorOptions();
        var gatewayNamespace = new Option<string>("--gateway-namespace")
        {
            Description = "Namespace where the gateway's Deployment, Services, ConfigMap and Secret and the leader Lease live",
            Required = true,
        };
        var gatewaySettings = new Option<FileInfo>("--gateway-settings")
        {
            Description = "YAML file with the gateway's replicas, image, resources, service, ingress, disruption budget and Redis Secret (see docs/operator.md); defaults when unset",
        };
        var metricsUrls = new Option<string>("--metrics-urls")
        {
            Description = "Listen URLs for /healthz, /readyz and /metrics, separated by ';'",
            DefaultValueFactory = _ => defaults.MetricsUrls,
        };
        var leaderElection = new Option<bool>("--leader-election") { Description = "Reconcile only while holding the Lease, so several replicas can run" };
        var namespaces = new Option<string>("--namespaces") { Description = "Namespaces to watch, separated by ','; all namespaces when empty" };
        var redis = new Option<string>("--redis")
        {
            Description = $"The gateway's Redis URL, for delivery counters, replays and cleanup; default ${GatewayCommand.RedisUrlVariable}",
        };
        var kubeconfig = new Option<FileInfo>("--kubeconfig") { Description = "Kubeconfig file; default the in-cluster service account, else $KUBECONFIG or ~/.kube/config" };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "Minimum log level", DefaultValueFactory = _ => LogLevel.Information };

        var command = new Command("operator", "Run the operator: reconcile WebhookSources, Destinations and Connections into a running gateway")
        {
            gatewayNamespace, gatewaySettings, metricsUrls, leaderElection, namespaces, redis, kubeconfig, logLevel,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new OperatorOptions
            {
                GatewayNamespace = parse.GetValue(gatewayNamespace)!,
                MetricsUrls = parse.GetValue(metricsUrls)!,
                LeaderElection = parse.GetValue(leaderElection),
                Namespaces = (parse.GetValue(namespaces) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                RedisUrl = parse.GetValue(redis) ?? Environment.GetEnvironmentVariable(GatewayCommand.RedisUrlVariable),
            };

            KubernetesClientConfiguration configuration;
            try
            {
                if (parse.GetValue(gatewaySettings) is { } settingsFile)
                {
                    options.Gateway = GatewaySettings.Load(settingsFile.FullName);
                }

                configuration = FastHook.Gateway.Configuration.KubernetesConfigSource.ClientConfiguration(parse.GetValue(kubeconfig)?.FullName);
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or k8s.Exceptions.KubeConfigException)
            {
                await Console.Error.WriteLineAsync(exception.Message);
                return ExitCodes.InvalidConfiguration;
            }

            var level = parse.GetValue(logLevel);
            using var loggers = LoggerFactory.Create(logging =>
            {
                logging.AddSimpleConsole(console => console.SingleLine = true);
                logging.SetMinimumLevel(level);
                logging.AddFilter("Microsoft", LogLevel.Warning);
            });
            using var client = new Kubernetes(configuration);

            OperatorHost host;
            try
            {
                host = await OperatorHost.StartAsync(options, client, loggers);
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or RedisException or IOException)
            {
                await Console.Error.WriteLineAsync("The operator could not start: " + exception.Message);
                return ExitCodes.InvalidConfiguration;
            }

            await using (host)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C or SIGTERM: fall through to the graceful stop.
                }

                await host.StopAsync();
            }

            return ExitCodes.Success;
        });

        return command;
    }
}
