using Microsoft.Extensions.Logging;

namespace FastHook.Operator.Hosting;

public sealed partial class OperatorHost
{
    private static partial class Log
    {
        [LoggerMessage(601, LogLevel.Information, "Operator started: gateway namespace {GatewayNamespace}, watching {Namespaces}, health and metrics on {MetricsUrls}")]
        public static partial void Started(ILogger logger, string gatewayNamespace, string namespaces, string metricsUrls);

        [LoggerMessage(602, LogLevel.Information, "Operator stopping")]
        public static partial void Stopping(ILogger logger);

        [LoggerMessage(603, LogLevel.Information, "Operator stopped")]
        public static partial void Stopped(ILogger logger);

        [LoggerMessage(604, LogLevel.Information, "{Identity} became the leader (Lease {Namespace}/{Lease}); reconciling")]
        public static partial void StartedLeading(ILogger logger, string identity, string @namespace, string lease);

        [LoggerMessage(605, LogLevel.Warning, "{Identity} lost the leadership; reconciles stopped")]
        public static partial void StoppedLeading(ILogger logger, string identity);

        [LoggerMessage(606, LogLevel.Warning, "Reconcile of {Kind} {Namespace}/{Name} failed; retrying in {Seconds} s")]
        public static partial void ReconcileFailed(ILogger logger, string kind, string @namespace, string name, double seconds, Exception exception);

        [LoggerMessage(607, LogLevel.Information, "Connecting to Redis at {RedisUrl}")]
        public static partial void ConnectingRedis(ILogger logger, string redisUrl);

        [LoggerMessage(608, LogLevel.Information, "{Workers} reconcile workers of the ended leadership term stopped after {Seconds:0.###} s")]
        public static partial void WorkersStopped(ILogger logger, int workers, double seconds);

        [LoggerMessage(609, LogLevel.Error, "A reconcile worker of an ended leadership term failed")]
        public static partial void WorkerFailed(ILogger logger, Exception exception);

        [LoggerMessage(610, LogLevel.Warning, "Leader election on Lease {Namespace}/{Lease} failed; retrying in {Seconds} s")]
        public static partial void ElectionFailed(ILogger logger, string @namespace, string lease, double seconds, Exception exception);
    }
}
