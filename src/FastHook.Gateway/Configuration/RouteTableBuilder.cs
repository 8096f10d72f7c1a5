using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;
using FastHook.Api;
using FastHook.Api.Manifests;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Deduplication;
using FastHook.Gateway.Filtering;
using FastHook.Gateway.Retry;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Transformation;
using FastHook.Gateway.Verification;

namespace FastHook.Gateway.Configuration;

/// <summary>
/// Compiles validated manifests into a <see cref="RouteTable"/>, resolving every secret reference.
/// </summary>
public static class RouteTableBuilder
{
    public const long DefaultMaxBodyBytes = 25L * 1024 * 1024;
    public static readonly TimeSpan DefaultRequestRetention = TimeSpan.FromHours(72);
    public static readonly TimeSpan DefaultEventRetention = TimeSpan.FromHours(72);
    public static readonly TimeSpan DefaultDeadLetterRetention = TimeSpan.FromHours(168);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public const int DefaultMaxConcurrency = 10;

    /// <summary>
    /// Builds the table. Throws <see cref="ManifestException"/> listing every filter and transform that does not compile.
    /// </summary>
    public static RouteTable Build(ManifestSet set, RedisKeys keys, TimeProvider clock)
    {
        var destinations = set.Destinations.ToDictionary(
            destination => destination.QualifiedName,
            destination => BuildDestination(destination, set));

        var sources = set.Sources.ToDictionary(
            source => source.QualifiedName,
            source => BuildSource(source, set, keys, clock));

        var connections = new Dictionary<string, ConnectionRoute>(StringComparer.Ordinal);
        var ruleErrors = new List<ManifestError>();
        foreach (var connection in set.Connections)
        {
            var spec = connection.Spec;
            var (filter, transform) = CompileRules(set, connection, ruleErrors);
            var route = new ConnectionRoute
            {
                Name = connection.QualifiedName,
                SourceName = $"{connection.Namespace}/{spec.SourceRef!.Name}",
                Destination = destinations[$"{connection.Namespace}/{spec.DestinationRef!.Name}"],
                Retry = BuildRetry(spec.Retry),
                Paused = spec.Paused ?? false,
                Retention = Durations.ParseOrDefault(spec.Retention, DefaultEventRetention),
                DeadLetterRetention = Durations.ParseOrDefault(spec.DeadLetter?.Retention, DefaultDeadLetterRetention),
                Keys = keys.Connection(connection.QualifiedName),
                Delay = Durations.ParseOrDefault(spec.Delay, TimeSpan.Zero),
                Ordering = spec.Ordering is { } ordering ? new OrderingSettings(ordering.Header, ordering.JsonField?.Split('.')) : null,
                Filter = filter,
                Transform = transform,
            };
            connections[route.Name] = route;
        }

        if (ruleErrors.Count > 0)
        {
            throw new ManifestException(ruleErrors);
        }

        foreach (var source in sources.Values)
        {
            source.Connections = connections.Values
                .Where(connection => connection.SourceName == source.Name)
                .OrderBy(connection => connection.Name, StringComparer.Ordinal)
                .ToImmutableArray();
        }

        return new RouteTable(
            sources.Values.ToFrozenDictionary(source => source.Path, StringComparer.Ordinal),
            sources.ToFrozenDictionary(StringComparer.Ordinal),
            connections.ToFrozenDictionary(StringComparer.Ordinal),
            destinations.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static SourceRoute BuildSource(WebhookSource source, ManifestSet set, RedisKeys keys, TimeProvider clock)
    {
        var spec = source.Spec;
        var verification = spec.Verification!;
        var secrets = new List<byte[]>();
        if (verification.SecretRef is { } primary)
        {
            secrets.Add(Resolve(set, source.Namespace, primary));
        }

        foreach (var reference in verification.AdditionalSecretRefs ?? [])
        {
            secrets.Add(Resolve(set, source.Namespace, reference));
        }

        return new SourceRoute
        {
            Name = source.QualifiedName,
            Path = SourcePaths.Of(source),
            AllowedMethods = (spec.AllowedMethods is { Count: > 0 } methods ? methods : ["POST"]).ToFrozenSet(StringComparer.OrdinalIgnoreCase),
            MaxBodyBytes = spec.MaxBodyBytes ?? DefaultMaxBodyBytes,
            Verifier = VerifierFactory.Create(verification, secrets, clock),
            ResponseStatusCode = spec.Response?.StatusCode ?? 200,
            ResponseContentType = spec.Response?.ContentType ?? "application/json",
            ResponseBody = Encoding.UTF8.GetBytes(spec.Response?.Body ?? "{\"ok\":true}"),
            Retention = Durations.ParseOrDefault(spec.Retention, DefaultRequestRetention),
            Keys = keys.Source(source.QualifiedName),
            Deduplication = DeduplicationPolicy.Create(spec.Deduplication),
        };
    }

    private static DestinationTarget BuildDestination(Destination destination, ManifestSet set)
    {
        var spec = destination.Spec;
        string? authName = null;
        string? authValue = null;
        if (spec.Auth is { } auth)
        {
            var secret = Encoding.UTF8.GetString(Resolve(set, destination.Namespace, auth.SecretRef!));
            (authName, authValue) = auth.Type switch
            {
                "bearer" => ("Authorization", "Bearer " + secret),
                "basic" => ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{auth.Username}:{secret}"))),
                _ => (auth.Header ?? "X-Api-Key", secret),
            };
        }

        var signingKeys = new List<byte[]>();
        if (spec.Signing is { } signing)
        {
            foreach (var reference in new[] { signing.SecretRef! }.Concat(signing.AdditionalSecretRefs ?? []))
            {
                StandardWebhooksSecret.TryDecode(Resolve(set, destination.Namespace, reference), out var key, out _);
                signingKeys.Add(key);
            }
        }

        return new DestinationTarget
        {
            Name = destination.QualifiedName,
            Url = new Uri(spec.Url!),
            Method = new HttpMethod(spec.Method ?? "POST"),
            Headers = (spec.Headers ?? new Dictionary<string, string>()).OrderBy(header => header.Key, StringComparer.Ordinal).ToArray(),
            Timeout = Durations.ParseOrDefault(spec.Timeout, DefaultTimeout),
            AuthHeaderName = authName,
            AuthHeaderValue = authValue,
            SigningKeys = signingKeys,
            MaxConcurrency = spec.MaxConcurrency ?? DefaultMaxConcurrency,
            RateLimit = spec.RateLimit is { } rateLimit
                ? new RateLimitSettings(rateLimit.Requests!.Value, Durations.ParseOrDefault(rateLimit.Per, TimeSpan.FromSeconds(1)), rateLimit.Burst ?? 1)
                : null,
            CircuitBreaker = spec.CircuitBreaker is { } breaker
                ? new CircuitBreakerSettings(breaker.FailureThreshold ?? 5, Durations.ParseOrDefault(breaker.CoolDown, TimeSpan.FromSeconds(30)))
                : null,
        };
    }

    private static RetryPolicy BuildRetry(RetrySpec? spec) => new()
    {
        Exponential = (spec?.Strategy ?? "exponential") == "exponential",
        MaxAttempts = spec?.MaxAttempts ?? RetryPolicy.DefaultMaxAttempts,
        InitialDelay = Durations.ParseOrDefault(spec?.InitialDelay, RetryPolicy.DefaultInitialDelay),
        MaxDelay = Durations.ParseOrDefault(spec?.MaxDelay, RetryPolicy.DefaultMaxDelay),
        MaxRetryAfter = Durations.ParseOrDefault(spec?.MaxRetryAfter, RetryPolicy.DefaultMaxRetryAfter),
        RetryOn = ((IEnumerable<string>?)spec?.RetryOn ?? RetryOutcomes.Default).ToFrozenSet(StringComparer.Ordinal),
        Schedule = spec?.Strategy == "schedule"
            ? (spec.Schedule ?? []).Select(delay => Durations.ParseOrDefault(delay, RetryPolicy.DefaultInitialDelay)).ToArray()
            : [],
    };

    /// <summary>
    /// Compiles a connection's filter and transform, adding what fails to <paramref name="errors"/> as manifest errors.
    /// </summary>
    public static (RequestFilter? Filter, TransformScript? Transform) CompileRules(ManifestSet set, Connection connection, List<ManifestError> errors)
    {
        var ruleErrors = new List<RuleError>();
        var filter = connection.Spec.Filter is { } filterSpec ? RequestFilter.Compile(filterSpec, ruleErrors) : null;
        var transform = connection.Spec.Transform is { } transformSpec ? TransformScript.Compile(transformSpec, ruleErrors) : null;

        var file = set.FileOf(connection.Kind, connection.QualifiedName);
        var resource = ManifestSet.Describe(connection.Kind, connection.QualifiedName);
        errors.AddRange(ruleErrors.Select(error => new ManifestError(file, resource, error.Field, error.Message)));
        return (filter, transform);
    }

    private static byte[] Resolve(ManifestSet set, string ns, SecretKeyReference reference) =>
        set.Secrets[$"{ns}/{reference.Name}"][reference.Key!];
}
