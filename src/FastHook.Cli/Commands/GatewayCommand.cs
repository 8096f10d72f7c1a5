using System.CommandLine;
using FastHook.Api.Manifests;
using FastHook.Gateway.Configuration;
using FastHook.Gateway.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Cli.Commands;

/// <summary>
/// <c>fasthook gateway</c>: runs the data plane from manifest files or from the operator's ConfigMap and Secret.
/// </summary>
internal static class GatewayCommand
{
    public const string RedisUrlVariable = "FASTHOOK_REDIS_URL";

    public static Command Create()
    {
        var defaults = new GatewayOptions();
        var manifests = new Option<string[]>("--manifests", "-f")
        {
            Description = "Manifest files or folders (WebhookSource, Destination, Connection, Secret); reloaded when they change",
            AllowMultipleArgumentsPerToken = true,
        };
        var configFromApi = new Option<string>("--config-from-api")
        {
            Description = "Load routes from the operator's ConfigMap and Secret through the Kubernetes API instead of files, as NAMESPACE/CONFIGMAP,NAMESPACE/SECRET; reloaded within seconds of a change",
        };
        var kubeconfig = new Option<FileInfo>("--kubeconfig")
        {
            Description = "Kubeconfig for --config-from-api outside a cluster; default the in-cluster service account, else $KUBECONFIG or ~/.kube/config",
        };
        var redis = new Option<string>("--redis")
        {
            Description = $"Redis URL, redis://[user:password@]host[:port][/db] or rediss:// for TLS; default ${RedisUrlVariable}, else redis://127.0.0.1:6379",
        };
        var urls = new Option<string>("--urls") { Description = "Ingest listen URLs, separated by ';'", DefaultValueFactory = _ => defaults.Urls };
        var managementUrls = new Option<string>("--management-urls")
        {
            Description = "Management listen URLs (/metrics, /healthz, /readyz, /api/v1), separated by ';'",
            DefaultValueFactory = _ => defaults.ManagementUrls,
        };
        var adminTokenFile = new Option<FileInfo>("--admin-token-file")
        {
            Description = "File holding the bearer token the admin API requires; required when management listens beyond loopback",
        };
        var keyPrefix = new Option<string>("--key-prefix") { Description = "First part of every Redis key", DefaultValueFactory = _ => defaults.KeyPrefix };
        var consumerName = new Option<string>("--consumer-name") { Description = "This process's name in the consumer groups; unique per process when unset" };
        var ingestTimeout = DurationOption.Create("--ingest-timeout", "How long ingest waits for Redis before answering 503", defaults.IngestTimeout);
        var visibilityTimeout = DurationOption.Create("--visibility-timeout", "How long an event may stay with one process before another reclaims it", defaults.VisibilityTimeout);
        var pollInterval = DurationOption.Create("--poll-interval", "Longest wait of an idle worker between Redis polls", defaults.IdlePollInterval);
        var shutdownTimeout = DurationOption.Create("--shutdown-timeout", "How long shutdown waits for in-flight deliveries", defaults.ShutdownTimeout);
        var retentionInterval = DurationOption.Create("--retention-interval", "How often stored data is trimmed by age", defaults.RetentionInterval);
        var apiWatchTimeout = DurationOption.Create("--api-watch-timeout", "With --config-from-api: timeoutSeconds of each watch, after which the API server ends it and the gateway resumes it (whole seconds)", defaults.ApiWatchTimeout);
        var apiStallTimeout = DurationOption.Create("--api-stall-timeout", "With --config-from-api: how long a watch may send nothing before the gateway drops it and watches again; longer than --api-watch-timeout", defaults.ApiStallTimeout);
        var logLevel = new Option<LogLevel>("--log-level") { Description = "Minimum log level", DefaultValueFactory = _ => LogLevel.Information };

        var command = new Command("gateway", "Run the gateway: receive webhooks, capture them in Redis and deliver them")
        {
            manifests, configFromApi, kubeconfig, redis, urls, managementUrls, adminTokenFile, keyPrefix, consumerName,
            ingestTimeout, visibilityTimeout, pollInterval, shutdownTimeout, retentionInterval, apiWatchTimeout, apiStallTimeout, logLevel,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new GatewayOptions
            {
                ManifestPaths = parse.GetValue(manifests) ?? [],
                RedisUrl = parse.GetValue(redis) ?? Environment.GetEnvironmentVariable(RedisUrlVariable) ?? "redis://127.0.0.1:6379",
                Urls = parse.GetValue(urls)!,
                ManagementUrls = parse.GetValue(managementUrls)!,
                KeyPrefix = parse.GetValue(keyPrefix)!,
                ConsumerName = parse.GetValue(consumerName),
                IngestTimeout = parse.GetValue(ingestTimeout),
                VisibilityTimeout = parse.GetValue(visibilityTimeout),
                IdlePollInterval = parse.GetValue(pollInterval),
                ShutdownTimeout = parse.GetValue(shutdownTimeout),
                RetentionInterval = parse.GetValue(retentionInterval),
                ApiWatchTimeout = parse.GetValue(apiWatchTimeout),
                ApiStallTimeout = parse.GetValue(apiStallTimeout),
            };

            var manifestPaths = parse.GetValue(manifests) ?? [];
            if (parse.GetValue(configFromApi) is { } location)
            {
                if (manifestPaths.Length > 0)
                {
                    await Console.Error.WriteLineAsync("--manifests and --config-from-api both set: choose one source of routes.");
                    return ExitCodes.InvalidConfiguration;
                }

                try
                {
                    options.ConfigFromApi = ApiConfigLocation.Parse(location);
                    options.KubernetesConfiguration = KubernetesConfigSource.ClientConfiguration(parse.GetValue(kubeconfig)?.FullName);
                }
                catch (Exception exception) when (exception is FormatException or k8s.Exceptions.KubeConfigException)
                {
                    await Console.Error.WriteLineAsync(exception.Message);
                    return ExitCodes.InvalidConfiguration;
                }
            }
            else if (manifestPaths.Length == 0)
            {
                await Console.Error.WriteLineAsync("--manifests or --config-from-api is missing: pass --manifests FILE_OR_FOLDER, or --config-from-api NAMESPACE/CONFIGMAP,NAMESPACE/SECRET in a cluster.");
                return ExitCodes.InvalidConfiguration;
            }

            if (parse.GetValue(adminTokenFile) is { } tokenFile)
            {
                if (!tokenFile.Exists)
                {
                    await Console.Error.WriteLineAsync($"--admin-token-file: {tokenFile.FullName} does not exist.");
                    return ExitCodes.InvalidConfiguration;
                }

                options.AdminToken = (await File.ReadAllTextAsync(tokenFile.FullName, cancellationToken)).Trim();
                if (options.AdminToken.Length < 16)
                {
                    await Console.Error.WriteLineAsync($"--admin-token-file: the token in {tokenFile.FullName} is shorter than 16 characters; use a long random token.");
                    return ExitCodes.InvalidConfiguration;
                }
            }

            var level = parse.GetValue(logLevel);
            GatewayHost host;
            try
            {
                host = await GatewayHost.StartAsync(options, logging =>
                {
                    logging.AddSimpleConsole(console => console.SingleLine = true);
                    logging.SetMinimumLevel(level);
                    logging.AddFilter("Microsoft", LogLevel.Warning);
                });
            }
            catch (ManifestException exception)
            {
                await Console.Error.WriteLineAsync(exception.Message);
                return ExitCodes.InvalidConfiguration;
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or FormatException or RedisException or IOException
                or k8s.Autorest.HttpOperationException or HttpRequestException or k8s.Exceptions.KubeConfigException)
            {
                await Console.Error.WriteLineAsync("The gateway could not start: " + exception.Message);
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
