using System.Text.RegularExpressions;
using FastHook.Api.V1Alpha1;

namespace FastHook.Api.Manifests;

/// <summary>
/// Checks loaded manifests for every problem the gateway would otherwise meet at run time:
/// missing or invalid fields, unknown references, duplicate paths and unusable secrets.
/// </summary>
public static partial class ManifestValidator
{
    public const long MaxBodyBytesLimit = 1L << 30;

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private static readonly string[] DeliveryMethods = ["POST", "PUT", "PATCH"];
    private static readonly string[] HmacAlgorithms = ["sha1", "sha256", "sha512"];
    private static readonly string[] HmacEncodings = ["hex", "base64"];
    private static readonly string[] AuthTypes = ["bearer", "basic", "apiKey"];
    private static readonly string[] RetryStrategies = ["exponential", "linear", "schedule"];

    /// <summary>Headers the gateway sets on every delivery, which a destination may not override.</summary>
    private static readonly string[] ReservedHeaders = ["webhook-id", "webhook-timestamp", "webhook-signature", "webhook-attempt", "content-type", "content-length", "host"];

    public static IReadOnlyList<ManifestError> Validate(ManifestSet set)
    {
        var errors = new List<ManifestError>();
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var source in set.Sources)
        {
            var check = new Check(set, errors, source.Kind, source.Namespace, source.Name);
            ValidateMetadata(check, source.Namespace, source.Name);
            ValidateSource(check, source.Spec);

            var path = SourcePaths.Of(source);
            if (paths.TryGetValue(path, out var other))
            {
                check.Error("spec.path", $"\"{path}\" is already the path of WebhookSource {other}: give each source its own path");
            }
            else
            {
                paths[path] = source.QualifiedName;
            }
        }

        foreach (var destination in set.Destinations)
        {
            var check = new Check(set, errors, destination.Kind, destination.Namespace, destination.Name);
            ValidateMetadata(check, destination.Namespace, destination.Name);
            ValidateDestination(check, destination.Spec);
            ValidateDestinationFlowControl(check, destination.Spec);
        }

        foreach (var connection in set.Connections)
        {
            var check = new Check(set, errors, connection.Kind, connection.Namespace, connection.Name);
            ValidateMetadata(check, connection.Namespace, connection.Name);
            ValidateConnection(check, set, connection);
        }

        return errors;
    }

    private static void ValidateMetadata(Check check, string ns, string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            check.Error("metadata.name", "is missing");
        }
        else if (name.Length > 253 || !DnsSubdomain().IsMatch(name))
        {
            check.Error("metadata.name", $"\"{name}\" is invalid: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters");
        }

        if (ns.Length > 63 || !DnsLabel().IsMatch(ns))
        {
            check.Error("metadata.namespace", $"\"{ns}\" is invalid: use lower-case letters, digits and '-', at most 63 characters");
        }
    }

    private static void ValidateSource(Check check, WebhookSourceSpec spec)
    {
        if (spec.Path is not null && (!spec.Path.StartsWith('/') || spec.Path.Any(c => char.IsWhiteSpace(c) || c is '?' or '#')))
        {
            check.Error("spec.path", $"\"{spec.Path}\" is invalid: a path starts with '/' and has no spaces, '?' or '#'");
        }

        if (spec.Path is not null && (spec.Path.StartsWith("/healthz", StringComparison.Ordinal) || spec.Path.StartsWith("/readyz", StringComparison.Ordinal)))
        {
            check.Error("spec.path", $"\"{spec.Path}\" is reserved for the gateway's health checks: choose another path");
        }

        if (spec.AllowedMethods is { } methods)
        {
            if (methods.Count == 0)
            {
                check.Error("spec.allowedMethods", "is empty: list at least one method, or leave it out for POST");
            }

            foreach (var method in methods.Where(method => !Methods.Contains(method)))
            {
                check.Error("spec.allowedMethods", $"\"{method}\" is not allowed: use {Join(Methods)}");
            }
        }

        if (spec.MaxBodyBytes is { } maxBody && (maxBody < 1 || maxBody > MaxBodyBytesLimit))
        {
            check.Error("spec.maxBodyBytes", $"{maxBody} is out of range: use 1 to {MaxBodyBytesLimit} (1 GiB)");
        }

        check.Duration("spec.retention", spec.Retention);

        if (spec.Response?.StatusCode is { } status && (status < 200 || status > 299))
        {
            check.Error("spec.response.statusCode", $"{status} is not a success status: use 200 to 299, because the provider must see its request acknowledged");
        }

        if (spec.Deduplication is { } deduplication)
        {
            ValidateDeduplication(check, deduplication);
        }

        if (spec.Verification is not { } verification)
        {
            check.Error("spec.verification", $"is missing: set provider to one of {Join(VerificationProviders.All)} (\"none\" accepts every request)");
            return;
        }

        ValidateVerification(check, verification);
    }

    private static void ValidateVerification(Check check, VerificationSpec verification)
    {
        var provider = verification.Provider;
        if (provider is null || !VerificationProviders.All.Contains(provider))
        {
            check.Error("spec.verification.provider", $"\"{provider}\" is not a known provider: use {Join(VerificationProviders.All)}");
            return;
        }

        ValidateTolerance(check, verification, provider);
        ValidatePresetSettings(check, verification, provider);

        if (provider == VerificationProviders.None)
        {
            if (verification.SecretRef is not null || verification.AdditionalSecretRefs is { Count: > 0 })
            {
                check.Error("spec.verification.secretRef", "is set, but provider none checks nothing: choose a provider or remove the secret");
            }

            return;
        }

        if (verification.SecretRef is null)
        {
            check.Error("spec.verification.secretRef", $"is missing: provider {provider} needs a secret, as {{name, key}} of a Secret in the same namespace");
            return;
        }

        check.Secret("spec.verification.secretRef", verification.SecretRef, provider);
        var index = 0;
        foreach (var reference in verification.AdditionalSecretRefs ?? [])
        {
            check.Secret($"spec.verification.additionalSecretRefs[{index}]", reference, provider);
            index++;
        }
    }

    /// <summary>
    /// Checks that a tolerance is set only where the provider signs a timestamp, since elsewhere it would do nothing.
    /// </summary>
    private static void ValidateTolerance(Check check, VerificationSpec verification, string provider)
    {
        if (verification.Tolerance is null)
        {
            return;
        }

        if (!VerificationProviders.Timestamped.Contains(provider))
        {
            check.Error("spec.verification.tolerance", $"is set, but provider {provider} signs no timestamp: remove it; it applies to {Join(VerificationProviders.Timestamped)}");
            return;
        }

        if (provider == VerificationProviders.Hmac && string.IsNullOrEmpty(verification.Hmac?.TimestampHeader))
        {
            check.Error("spec.verification.tolerance", "is set, but hmac.timestampHeader is not: set timestampHeader, or remove the tolerance");
            return;
        }

        check.Duration("spec.verification.tolerance", verification.Tolerance);
    }

    /// <summary>
    /// Checks the provider-specific blocks (hmac, basicAuth, apiKey, twilio): each is required or allowed
    /// exactly when its provider is chosen.
    /// </summary>
    private static void ValidatePresetSettings(Check check, VerificationSpec verification, string provider)
    {
        if (provider == VerificationProviders.Hmac)
        {
            ValidateHmac(check, verification.Hmac);
        }
        else if (verification.Hmac is not null)
        {
            check.Error("spec.verification.hmac", $"is set, but the provider is \"{provider}\": hmac settings apply only to provider hmac");
        }

        if (provider == VerificationProviders.BasicAuth)
        {
            if (string.IsNullOrEmpty(verification.BasicAuth?.Username))
            {
                check.Error("spec.verification.basicAuth.username", "is missing: provider basicAuth needs the user name; the password goes in secretRef");
            }
            else if (verification.BasicAuth.Username.Contains(':', StringComparison.Ordinal))
            {
                check.Error("spec.verification.basicAuth.username", "contains ':', which HTTP Basic authentication cannot carry in a user name: choose another name");
            }
        }
        else if (verification.BasicAuth is not null)
        {
            check.Error("spec.verification.basicAuth", $"is set, but the provider is \"{provider}\": basicAuth settings apply only to provider basicAuth");
        }

        if (provider == VerificationProviders.ApiKey)
        {
            if (verification.ApiKey?.Header is { } header && !HeaderName().IsMatch(header))
            {
                check.Error("spec.verification.apiKey.header", $"\"{header}\" is not a valid HTTP header name");
            }
        }
        else if (verification.ApiKey is not null)
        {
            check.Error("spec.verification.apiKey", $"is set, but the provider is \"{provider}\": apiKey settings apply only to provider apiKey");
        }

        if (provider == VerificationProviders.Twilio)
        {
            ValidateTwilio(check, verification.Twilio);
        }
        else if (verification.Twilio is not null)
        {
            check.Error("spec.verification.twilio", $"is set, but the provider is \"{provider}\": twilio settings apply only to provider twilio");
        }
    }

    private static void ValidateHmac(Check check, HmacSpec? hmac)
    {
        if (hmac is null)
        {
            check.Error("spec.verification.hmac", "is missing: provider hmac needs header, and optionally algorithm, encoding, prefix and timestampHeader");
            return;
        }

        if (string.IsNullOrWhiteSpace(hmac.Header))
        {
            check.Error("spec.verification.hmac.header", "is missing: name the header that carries the signature");
        }
        else if (!HeaderName().IsMatch(hmac.Header))
        {
            check.Error("spec.verification.hmac.header", $"\"{hmac.Header}\" is not a valid HTTP header name");
        }

        if (hmac.TimestampHeader is { } timestampHeader && !HeaderName().IsMatch(timestampHeader))
        {
            check.Error("spec.verification.hmac.timestampHeader", $"\"{timestampHeader}\" is not a valid HTTP header name");
        }

        check.OneOf("spec.verification.hmac.algorithm", hmac.Algorithm, HmacAlgorithms);
        check.OneOf("spec.verification.hmac.encoding", hmac.Encoding, HmacEncodings);
    }

    private static void ValidateTwilio(Check check, TwilioSpec? twilio)
    {
        if (string.IsNullOrEmpty(twilio?.PublicUrl))
        {
            check.Error("spec.verification.twilio.publicUrl", "is missing: Twilio signs the URL it calls, so give that URL exactly as configured in Twilio, such as https://hooks.example.com/e/default/twilio");
            return;
        }

        if (!Uri.TryCreate(twilio.PublicUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            check.Error("spec.verification.twilio.publicUrl", $"\"{twilio.PublicUrl}\" is not an absolute http or https URL");
        }
        else if (twilio.PublicUrl.Contains('?', StringComparison.Ordinal) || twilio.PublicUrl.Contains('#', StringComparison.Ordinal))
        {
            check.Error("spec.verification.twilio.publicUrl", $"\"{twilio.PublicUrl}\" has a query string or fragment: give the URL without them; the query string of each request is appended");
        }
    }

    private static void ValidateDeduplication(Check check, DeduplicationSpec deduplication)
    {
        var hasHeader = deduplication.Header is not null;
        var hasJsonField = deduplication.JsonField is not null;
        if (hasHeader == hasJsonField)
        {
            check.Error("spec.deduplication", "needs exactly one of header and jsonField: the header or the dotted JSON path that carries the provider's delivery id");
        }

        if (hasHeader && !HeaderName().IsMatch(deduplication.Header!))
        {
            check.Error("spec.deduplication.header", $"\"{deduplication.Header}\" is not a valid HTTP header name");
        }

        if (hasJsonField && deduplication.JsonField!.Split('.').Any(string.IsNullOrEmpty))
        {
            check.Error("spec.deduplication.jsonField", $"\"{deduplication.JsonField}\" is not a dotted path: use field names separated by '.', such as \"id\" or \"event.id\"");
        }

        check.Duration("spec.deduplication.window", deduplication.Window);
    }

    private static void ValidateDestination(Check check, DestinationSpec spec)
    {
        if (string.IsNullOrEmpty(spec.Url))
        {
            check.Error("spec.url", "is missing: give the absolute http or https URL events are delivered to");
        }
        else if (!Uri.TryCreate(spec.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            check.Error("spec.url", $"\"{spec.Url}\" is not an absolute http or https URL");
        }

        check.OneOf("spec.method", spec.Method, DeliveryMethods);
        check.Duration("spec.timeout", spec.Timeout);

        if (spec.MaxConcurrency is { } concurrency && (concurrency < 1 || concurrency > 1000))
        {
            check.Error("spec.maxConcurrency", $"{concurrency} is out of range: use 1 to 1000");
        }

        foreach (var name in spec.Headers?.Keys ?? [])
        {
            if (!HeaderName().IsMatch(name))
            {
                check.Error($"spec.headers.{name}", "is not a valid HTTP header name");
            }
            else if (ReservedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                check.Error($"spec.headers.{name}", $"is set by the gateway on every delivery and cannot be overridden; reserved: {Join(ReservedHeaders)}");
            }
        }

        if (spec.Auth is { } auth)
        {
            if (auth.Type is null || !AuthTypes.Contains(auth.Type))
            {
                check.Error("spec.auth.type", $"\"{auth.Type}\" is not allowed: use {Join(AuthTypes)}");
            }

            if (auth.Type == "basic" && string.IsNullOrEmpty(auth.Username))
            {
                check.Error("spec.auth.username", "is missing: basic authentication needs a user name; the password goes in secretRef");
            }

            if (auth.SecretRef is null)
            {
                check.Error("spec.auth.secretRef", "is missing: name the Secret key that holds the token, password or key");
            }
            else
            {
                check.Secret("spec.auth.secretRef", auth.SecretRef, standardWebhooks: false);
            }
        }

        if (spec.Signing is { } signing)
        {
            if (signing.SecretRef is null)
            {
                check.Error("spec.signing.secretRef", "is missing: name the Secret key that holds the whsec_ signing secret");
            }
            else
            {
                check.Secret("spec.signing.secretRef", signing.SecretRef, standardWebhooks: true);
            }

            var index = 0;
            foreach (var reference in signing.AdditionalSecretRefs ?? [])
            {
                check.Secret($"spec.signing.additionalSecretRefs[{index}]", reference, standardWebhooks: true);
                index++;
            }
        }
    }

    private static void ValidateConnection(Check check, ManifestSet set, Connection connection)
    {
        var spec = connection.Spec;
        ValidateConnectionFlowControl(check, spec);
        if (string.IsNullOrEmpty(spec.SourceRef?.Name))
        {
            check.Error("spec.sourceRef.name", "is missing: name the WebhookSource in the same namespace");
        }
        else if (!set.Exists(WebhookSource.KindName, connection.Namespace, spec.SourceRef.Name))
        {
            check.Error("spec.sourceRef.name", $"WebhookSource {connection.Namespace}/{spec.SourceRef.Name} does not exist: create it or fix the name");
        }

        if (string.IsNullOrEmpty(spec.DestinationRef?.Name))
        {
            check.Error("spec.destinationRef.name", "is missing: name the Destination in the same namespace");
        }
        else if (!set.Exists(Destination.KindName, connection.Namespace, spec.DestinationRef.Name))
        {
            check.Error("spec.destinationRef.name", $"Destination {connection.Namespace}/{spec.DestinationRef.Name} does not exist: create it or fix the name");
        }

        check.Duration("spec.retention", spec.Retention);
        check.Duration("spec.deadLetter.retention", spec.DeadLetter?.Retention);
        ValidateFilter(check, spec.Filter);
        ValidateTransform(check, spec.Transform);

        if (spec.Retry is not { } retry)
        {
            return;
        }

        check.OneOf("spec.retry.strategy", retry.Strategy, RetryStrategies);
        if (retry.MaxAttempts is { } attempts && (attempts < 1 || attempts > 100))
        {
            check.Error("spec.retry.maxAttempts", $"{attempts} is out of range: use 1 to 100 (attempts in all, the first included)");
        }

        var initial = check.Duration("spec.retry.initialDelay", retry.InitialDelay);
        var max = check.Duration("spec.retry.maxDelay", retry.MaxDelay);
        if (initial is { } initialDelay && max is { } maxDelay && initialDelay > maxDelay)
        {
            check.Error("spec.retry.initialDelay", $"{retry.InitialDelay} is longer than maxDelay {retry.MaxDelay}: make initialDelay the shorter one");
        }

        check.Duration("spec.retry.maxRetryAfter", retry.MaxRetryAfter);
        foreach (var outcome in retry.RetryOn ?? [])
        {
            if (!RetryOutcomes.All.Contains(outcome))
            {
                check.Error("spec.retry.retryOn", $"\"{outcome}\" is not an outcome: use {Join(RetryOutcomes.All)}");
            }
        }
    }

    private static string Join(IEnumerable<string> values) => string.Join(", ", values);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex HeaderName();

    /// <summary>
    /// Collects the errors of one resource, naming its file and "Kind namespace/name" in each.
    /// </summary>
    private sealed class Check(ManifestSet set, List<ManifestError> errors, string kind, string ns, string name)
    {
        private readonly string _file = set.FileOf(kind, $"{ns}/{name}");
        private readonly string _resource = $"{kind} {ns}/{name}";

        public void Error(string field, string message) => errors.Add(new ManifestError(_file, _resource, field, message));

        public TimeSpan? Duration(string field, string? text)
        {
            if (text is null)
            {
                return null;
            }

            if (!Durations.TryParse(text, out var duration, out var error))
            {
                Error(field, error);
                return null;
            }

            if (duration <= TimeSpan.Zero)
            {
                Error(field, $"\"{text}\" must be longer than zero");
                return null;
            }

            return duration;
        }

        public void OneOf(string field, string? value, string[] allowed)
        {
            if (value is not null && !allowed.Contains(value))
            {
                Error(field, $"\"{value}\" is not allowed: use {Join(allowed)}");
            }
        }

        public void Secret(string field, SecretKeyReference reference, bool standardWebhooks) =>
            Secret(field, reference, standardWebhooks ? VerificationProviders.StandardWebhooks : VerificationProviders.Hmac);

        /// <summary>
        /// Checks that the reference resolves to a non-empty value that <paramref name="provider"/> can use as its key.
        /// </summary>
        public void Secret(string field, SecretKeyReference reference, string provider)
        {
            if (string.IsNullOrEmpty(reference.Name) || string.IsNullOrEmpty(reference.Key))
            {
                Error(field, "needs both name and key of a Secret in the same namespace");
                return;
            }

            if (!set.Secrets.TryGetValue($"{ns}/{reference.Name}", out var data))
            {
                Error(field, $"Secret {ns}/{reference.Name} does not exist: add it to the manifests (kind: Secret) or fix the name");
                return;
            }

            if (!data.TryGetValue(reference.Key, out var value))
            {
                Error(field, $"Secret {ns}/{reference.Name} has no key \"{reference.Key}\": it has {(data.Count == 0 ? "no keys" : Join(data.Keys))}");
                return;
            }

            if (value.Length == 0)
            {
                Error(field, $"Secret {ns}/{reference.Name} key \"{reference.Key}\" is empty: an empty secret would make every request fail verification");
                return;
            }

            if (SecretProblem(provider, value) is { } problem)
            {
                Error(field, $"Secret {ns}/{reference.Name} key \"{reference.Key}\" is not a usable {provider} secret: {problem}");
            }
        }

        /// <summary>
        /// Describes why <paramref name="value"/> cannot be the key of <paramref name="provider"/>, or returns null.
        /// The problem text never contains the secret.
        /// </summary>
        private static string? SecretProblem(string provider, byte[] value)
        {
            if (provider == VerificationProviders.StandardWebhooks)
            {
                return StandardWebhooksSecret.TryDecode(value, out _, out var problem) ? null : problem;
            }

            // A generic HMAC key may be any bytes, and a Basic password may contain spaces; every other key is text
            // that the provider shows once and that HTTP trims in headers, so surrounding whitespace is a copy error.
            if (provider is VerificationProviders.Hmac or VerificationProviders.BasicAuth)
            {
                return null;
            }

            var text = System.Text.Encoding.UTF8.GetString(value);
            if (text.Trim() != text)
            {
                return "it begins or ends with whitespace, often a newline left by `kubectl create secret --from-file`: store the value without it";
            }

            if (provider == VerificationProviders.Stripe && !text.StartsWith("whsec_", StringComparison.Ordinal))
            {
                return "Stripe endpoint signing secrets start with \"whsec_\"; an API key (sk_, rk_, pk_) does not verify webhooks: copy the endpoint's signing secret";
            }

            if (provider == VerificationProviders.Twitch && (text.Length < 10 || text.Length > 100 || !text.All(char.IsAscii)))
            {
                return $"it has {text.Length} characters; Twitch accepts EventSub secrets of 10 to 100 ASCII characters: use the secret given when the subscription was created";
            }

            return null;
        }
    }
}
