namespace FastHook.Api.Tests.Crds;

/// <summary>
/// Checks that the CRD schemas reject invalid resources and name the field, as <c>kubectl apply</c> reports it.
/// </summary>
public sealed class InvalidResourcesTests
{
    private const string GitHub = "provider: github, secretRef: {name: hook, key: secret}";
    private const string Url = "url: 'http://billing.payments.svc:8080/webhooks'";
    private const string Refs = "sourceRef: {name: github}, destinationRef: {name: billing}";

    private static readonly CrdValidator Validator = CrdValidator.ForGeneratedCrds();

    public static TheoryData<string, string, string, string> InvalidSpecs() => new()
    {
        // WebhookSource
        { "WebhookSource", "{path: /hooks}", "spec.verification", "Required value" },
        { "WebhookSource", "{verification: {secretRef: {name: hook, key: secret}}}", "spec.verification.provider", "Required value" },
        { "WebhookSource", "{verification: {provider: bitbucket, secretRef: {name: hook, key: secret}}}", "spec.verification.provider", "enum" },
        { "WebhookSource", $"{{verification: {{{GitHub}, hmac: {{header: X-Signature}}}}}}", "spec.verification.hmac", "allowed only with it" },
        { "WebhookSource", "{verification: {provider: hmac, secretRef: {name: hook, key: secret}}}", "spec.verification.hmac", "required with provider hmac" },
        { "WebhookSource", "{verification: {provider: hmac, secretRef: {name: hook, key: secret}, hmac: {algorithm: sha256}}}", "spec.verification.hmac.header", "Required value" },
        { "WebhookSource", "{verification: {provider: hmac, secretRef: {name: hook, key: secret}, hmac: {header: X-Signature, algorithm: md5}}}", "spec.verification.hmac.algorithm", "enum" },
        { "WebhookSource", "{verification: {provider: hmac, secretRef: {name: hook, key: secret}, hmac: {header: X-Signature, encoding: base32}}}", "spec.verification.hmac.encoding", "enum" },
        { "WebhookSource", "{verification: {provider: hmac, secretRef: {name: hook, key: secret}, hmac: {header: 'X Signature'}}}", "spec.verification.hmac.header", "pattern" },
        { "WebhookSource", "{verification: {provider: basicAuth, secretRef: {name: hook, key: secret}}}", "spec.verification.basicAuth", "required with provider basicAuth" },
        { "WebhookSource", "{verification: {provider: basicAuth, secretRef: {name: hook, key: secret}, basicAuth: {username: 'a:b'}}}", "spec.verification.basicAuth.username", "pattern" },
        { "WebhookSource", $"{{verification: {{{GitHub}, apiKey: {{header: X-Key}}}}}}", "spec.verification.apiKey", "allowed only with provider apiKey" },
        { "WebhookSource", "{verification: {provider: apiKey, secretRef: {name: hook, key: secret}, apiKey: {header: 'X Key'}}}", "spec.verification.apiKey.header", "pattern" },
        { "WebhookSource", "{verification: {provider: twilio, secretRef: {name: hook, key: secret}}}", "spec.verification.twilio", "required with provider twilio" },
        { "WebhookSource", "{verification: {provider: twilio, secretRef: {name: hook, key: secret}, twilio: {publicUrl: 'https://hooks.example.com/t?x=1'}}}", "spec.verification.twilio.publicUrl", "pattern" },
        { "WebhookSource", "{verification: {provider: github}}", "spec.verification.secretRef", "secretRef is required" },
        { "WebhookSource", "{verification: {provider: none, secretRef: {name: hook, key: secret}}}", "spec.verification.secretRef", "provider none checks nothing" },
        { "WebhookSource", "{verification: {provider: none, additionalSecretRefs: [{name: hook, key: secret}]}}", "spec.verification.secretRef", "provider none checks nothing" },
        { "WebhookSource", $"{{verification: {{{GitHub}, tolerance: 5m}}}}", "spec.verification.tolerance", "tolerance applies only" },
        { "WebhookSource", "{verification: {provider: hmac, secretRef: {name: hook, key: secret}, hmac: {header: X-Signature}, tolerance: 5m}}", "spec.verification.tolerance", "needs hmac.timestampHeader" },
        { "WebhookSource", "{verification: {provider: stripe, secretRef: {name: hook, key: secret}, tolerance: 5 minutes}}", "spec.verification.tolerance", "pattern" },
        { "WebhookSource", "{verification: {provider: github, secretRef: {name: hook}}}", "spec.verification.secretRef.key", "Required value" },
        { "WebhookSource", "{verification: {provider: github, secretRef: {name: Hook_Secret, key: secret}}}", "spec.verification.secretRef.name", "pattern" },
        { "WebhookSource", $"{{path: hooks, verification: {{{GitHub}}}}}", "spec.path", "pattern" },
        { "WebhookSource", $"{{path: '/e/a b', verification: {{{GitHub}}}}}", "spec.path", "pattern" },
        { "WebhookSource", $"{{path: /healthz/github, verification: {{{GitHub}}}}}", "spec.path", "reserved" },
        { "WebhookSource", $"{{allowedMethods: [], verification: {{{GitHub}}}}}", "spec.allowedMethods", "minItems" },
        { "WebhookSource", $"{{allowedMethods: [POST, TRACE], verification: {{{GitHub}}}}}", "spec.allowedMethods[1]", "enum" },
        { "WebhookSource", $"{{maxBodyBytes: 0, verification: {{{GitHub}}}}}", "spec.maxBodyBytes", "minimum" },
        { "WebhookSource", $"{{maxBodyBytes: 1073741825, verification: {{{GitHub}}}}}", "spec.maxBodyBytes", "maximum" },
        { "WebhookSource", $"{{response: {{statusCode: 302}}, verification: {{{GitHub}}}}}", "spec.response.statusCode", "maximum" },
        { "WebhookSource", $"{{response: {{statusCode: 199}}, verification: {{{GitHub}}}}}", "spec.response.statusCode", "minimum" },
        { "WebhookSource", $"{{retention: 0s, verification: {{{GitHub}}}}}", "spec.retention", "pattern" },
        { "WebhookSource", $"{{retention: 3d, verification: {{{GitHub}}}}}", "spec.retention", "pattern" },
        { "WebhookSource", $"{{retention: 876001h, verification: {{{GitHub}}}}}", "spec.retention", "100 years" },
        { "WebhookSource", $"{{deduplication: {{header: X-Id, jsonField: id}}, verification: {{{GitHub}}}}}", "spec.deduplication", "exactly one" },
        { "WebhookSource", $"{{deduplication: {{window: 1h}}, verification: {{{GitHub}}}}}", "spec.deduplication", "exactly one" },
        { "WebhookSource", $"{{deduplication: {{jsonField: event..id}}, verification: {{{GitHub}}}}}", "spec.deduplication.jsonField", "pattern" },
        { "WebhookSource", $"{{paths: /hooks, verification: {{{GitHub}}}}}", "spec.paths", "not declared" },

        // Destination
        { "Destination", "{timeout: 10s}", "spec.url", "Required value" },
        { "Destination", "{url: 'ftp://billing.example.com/hooks'}", "spec.url", "pattern" },
        { "Destination", "{url: /webhooks}", "spec.url", "pattern" },
        { "Destination", $"{{{Url}, method: GET}}", "spec.method", "enum" },
        { "Destination", $"{{{Url}, headers: {{'Bad Header': x}}}}", "spec.headers", "HTTP tokens" },
        { "Destination", $"{{{Url}, headers: {{Content-Type: text/plain}}}}", "spec.headers", "set by the gateway" },
        { "Destination", $"{{{Url}, timeout: '10'}}", "spec.timeout", "pattern" },
        { "Destination", $"{{{Url}, auth: {{type: basic, secretRef: {{name: token, key: password}}}}}}", "spec.auth.username", "username is required" },
        { "Destination", $"{{{Url}, auth: {{type: digest, secretRef: {{name: token, key: password}}}}}}", "spec.auth.type", "enum" },
        { "Destination", $"{{{Url}, auth: {{type: bearer}}}}", "spec.auth.secretRef", "Required value" },
        { "Destination", $"{{{Url}, signing: {{additionalSecretRefs: []}}}}", "spec.signing.secretRef", "Required value" },
        { "Destination", $"{{{Url}, maxConcurrency: 0}}", "spec.maxConcurrency", "minimum" },
        { "Destination", $"{{{Url}, maxConcurrency: 1001}}", "spec.maxConcurrency", "maximum" },

        // Connection
        { "Connection", "{destinationRef: {name: billing}}", "spec.sourceRef", "Required value" },
        { "Connection", "{sourceRef: {name: Git_Hub}, destinationRef: {name: billing}}", "spec.sourceRef.name", "pattern" },
        { "Connection", $"{{{Refs}, paused: maybe}}", "spec.paused", "type" },
        { "Connection", $"{{{Refs}, retry: {{strategy: fibonacci}}}}", "spec.retry.strategy", "enum" },
        { "Connection", $"{{{Refs}, retry: {{maxAttempts: 0}}}}", "spec.retry.maxAttempts", "minimum" },
        { "Connection", $"{{{Refs}, retry: {{maxAttempts: 101}}}}", "spec.retry.maxAttempts", "maximum" },
        { "Connection", $"{{{Refs}, retry: {{initialDelay: 2h, maxDelay: 1h}}}}", "spec.retry.initialDelay", "must not be longer than maxDelay" },
        { "Connection", $"{{{Refs}, retry: {{retryOn: [serverError, everything]}}}}", "spec.retry.retryOn[1]", "enum" },
        { "Connection", $"{{{Refs}, retry: {{maxRetryAfter: 1d}}}}", "spec.retry.maxRetryAfter", "pattern" },
        { "Connection", $"{{{Refs}, deadLetter: {{retention: ''}}}}", "spec.deadLetter.retention", "pattern" },
        { "Connection", $"{{{Refs}, replays: [{{name: after-outage, state: failed}}, {{name: after-outage, state: all}}]}}", "spec.replays[1]", "Duplicate value" },
        { "Connection", $"{{{Refs}, replays: [{{name: after-outage}}]}}", "spec.replays[0].state", "Required value" },
        { "Connection", $"{{{Refs}, replays: [{{name: after-outage, state: pending}}]}}", "spec.replays[0].state", "enum" },
        { "Connection", $"{{{Refs}, replays: [{{name: After_Outage, state: all}}]}}", "spec.replays[0].name", "pattern" },
        { "Connection", $"{{{Refs}, replays: [{{name: r, state: all, from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z'}}]}}", "spec.replays[0].from", "from must not be later than to" },
        { "Connection", $"{{{Refs}, replays: [{{name: r, state: all, from: yesterday}}]}}", "spec.replays[0].from", "format" },
        { "Connection", $"{{{Refs}, retry: {{strategy: schedule}}}}", "spec.retry.schedule", "required with strategy schedule" },
        { "Connection", $"{{{Refs}, retry: {{strategy: linear, schedule: [1s]}}}}", "spec.retry.schedule", "allowed only with it" },
        { "Connection", $"{{{Refs}, retry: {{strategy: schedule, schedule: [1s, soon]}}}}", "spec.retry.schedule[1]", "pattern" },
        { "Connection", $"{{{Refs}, delay: tomorrow}}", "spec.delay", "pattern" },
        { "Connection", $"{{{Refs}, ordering: {{header: X-Key, jsonField: key}}}}", "spec.ordering", "choose one ordering key" },
        { "Destination", "{url: 'http://billing:8080/', rateLimit: {per: 1s}}", "spec.rateLimit.requests", "Required value" },
        { "Destination", "{url: 'http://billing:8080/', rateLimit: {requests: 0}}", "spec.rateLimit.requests", "minimum" },
        { "Destination", "{url: 'http://billing:8080/', circuitBreaker: {failureThreshold: 0}}", "spec.circuitBreaker.failureThreshold", "minimum" },
        { "Connection", $"{{{Refs}, replays: [{string.Join(", ", Enumerable.Range(0, 101).Select(index => $"{{name: r{index}, state: all}}"))}]}}", "spec.replays", "maxItems" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void InvalidSpec_IsRejectedAtField(string kind, string spec, string path, string fragment)
    {
        var errors = Validator.Validate(CrdTestResources.Create(kind, spec));

        Assert.True(
            errors.Any(error => error.Path == path && error.Message.Contains(fragment, StringComparison.Ordinal)),
            $"expected an error at {path} containing \"{fragment}\", got:\n{string.Join("\n", errors)}");
    }

    [Theory]
    [InlineData("WebhookSource")]
    [InlineData("Destination")]
    [InlineData("Connection")]
    public void ValidSpec_IsAccepted(string kind)
    {
        var errors = Validator.Validate(CrdTestResources.Create(kind, CrdTestResources.ValidSpecs[kind]));

        Assert.Empty(errors);
    }

    [Fact]
    public void ConditionStatus_OutsideEnum_IsRejected()
    {
        var connection = CrdTestResources.Create("Connection", CrdTestResources.ValidSpecs["Connection"], "{conditions: [{type: Ready, status: Maybe}]}");

        var errors = Validator.Validate(connection);

        Assert.Contains(errors, error => error.Path == "status.conditions[0].status" && error.Message.Contains("enum", StringComparison.Ordinal));
    }

    [Fact]
    public void ConditionTypes_AreUnique()
    {
        var connection = CrdTestResources.Create("Connection", CrdTestResources.ValidSpecs["Connection"], "{conditions: [{type: Ready, status: 'True'}, {type: Ready, status: 'False'}]}");

        var errors = Validator.Validate(connection);

        Assert.Contains(errors, error => error.Path == "status.conditions[1]" && error.Message.Contains("Duplicate value", StringComparison.Ordinal));
    }

    [Fact]
    public void ReplayRequest_ChangedAfterCreation_IsRejected()
    {
        var before = CrdTestResources.Create("Connection", $"{{{Refs}, replays: [{{name: after-outage, state: failed}}]}}");
        var after = CrdTestResources.Create("Connection", $"{{{Refs}, replays: [{{name: after-outage, state: all}}]}}");

        var errors = Validator.Validate(after, before);

        Assert.Contains(errors, error => error.Path == "spec.replays[0]" && error.Message.Contains("cannot be changed", StringComparison.Ordinal));
    }

    [Fact]
    public void ReplayRequest_AddedNextToExisting_IsAccepted()
    {
        var before = CrdTestResources.Create("Connection", $"{{{Refs}, replays: [{{name: after-outage, state: failed}}]}}");
        var after = CrdTestResources.Create("Connection", $"{{{Refs}, replays: [{{name: after-outage, state: failed}}, {{name: second, state: all}}]}}");

        var errors = Validator.Validate(after, before);

        Assert.Empty(errors);
    }
}
