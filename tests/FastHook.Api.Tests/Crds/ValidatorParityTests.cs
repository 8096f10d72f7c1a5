using FastHook.Api.Manifests;

namespace FastHook.Api.Tests.Crds;

/// <summary>
/// Compares the CRD schemas with the gateway's manifest validator resource by resource: both must reject the
/// same specs, naming related fields, and accept the same specs. The cases where only one of them can decide are
/// listed in their own tests, so that the boundary is visible and changes to it are deliberate.
/// </summary>
public sealed class ValidatorParityTests
{
    /// <summary>Secrets and the resources the subject refers to, all valid.</summary>
    private const string Fixture = """
        apiVersion: v1
        kind: Secret
        metadata: {name: hook}
        stringData: {secret: whsec_TLBSSvTZkBOSxp0DFfRemPpaoe0fzbl8}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: token}
        stringData: {password: correct-horse-battery}
        ---
        apiVersion: fasthook.io/v1alpha1
        kind: WebhookSource
        metadata: {name: github}
        spec: {path: /hooks/github, verification: {provider: github, secretRef: {name: hook, key: secret}}}
        ---
        apiVersion: fasthook.io/v1alpha1
        kind: Destination
        metadata: {name: billing}
        spec: {url: 'http://billing.payments.svc:8080/webhooks'}
        """;

    private const string GitHub = "provider: github, secretRef: {name: hook, key: secret}";
    private const string Url = "url: 'http://billing.payments.svc:8080/webhooks'";
    private const string Refs = "sourceRef: {name: github}, destinationRef: {name: billing}";

    private static readonly CrdValidator Validator = CrdValidator.ForGeneratedCrds();

    /// <summary>Every invalid spec of <see cref="InvalidResourcesTests"/> except replays, which the gateway does not read from manifests.</summary>
    public static TheoryData<string, string> InvalidSpecs()
    {
        var cases = new TheoryData<string, string>();
        foreach (var row in InvalidResourcesTests.InvalidSpecs())
        {
            var (kind, spec) = ((string)row[0], (string)row[1]);
            if (!spec.Contains("replays:", StringComparison.Ordinal))
            {
                cases.Add(kind, spec);
            }
        }

        return cases;
    }

    public static TheoryData<string, string> ValidSpecs() => new()
    {
        { "WebhookSource", $"{{retention: 1.5h, verification: {{{GitHub}}}}}" },
        { "WebhookSource", $"{{retention: 1h30m, verification: {{{GitHub}}}}}" },
        { "WebhookSource", $"{{retention: .5s, verification: {{{GitHub}}}}}" },
        { "WebhookSource", $"{{retention: 876000h, verification: {{{GitHub}}}}}" },
        { "WebhookSource", $"{{path: /, allowedMethods: [GET, POST, DELETE], verification: {{{GitHub}}}}}" },
        { "WebhookSource", $"{{maxBodyBytes: 1, verification: {{{GitHub}}}}}" },
        { "WebhookSource", $"{{maxBodyBytes: 1073741824, verification: {{{GitHub}}}}}" },
        { "WebhookSource", $"{{response: {{statusCode: 204, contentType: text/plain, body: ''}}, verification: {{{GitHub}}}}}" },
        { "WebhookSource", $"{{deduplication: {{jsonField: event.id, window: 72h}}, verification: {{{GitHub}}}}}" },
        { "WebhookSource", "{verification: {provider: stripe, secretRef: {name: hook, key: secret}, tolerance: 10m}}" },
        { "WebhookSource", "{verification: {provider: standardWebhooks, secretRef: {name: hook, key: secret}, additionalSecretRefs: [{name: hook, key: secret}]}}" },
        { "WebhookSource", "{verification: {provider: hmac, secretRef: {name: hook, key: secret}, hmac: {header: X-Signature, algorithm: sha512, encoding: base64, prefix: 'v1=', timestampHeader: X-Timestamp}, tolerance: 2m}}" },
        { "WebhookSource", "{verification: {provider: basicAuth, secretRef: {name: token, key: password}, basicAuth: {username: hooks}}}" },
        { "WebhookSource", "{verification: {provider: apiKey, secretRef: {name: token, key: password}}}" },
        { "WebhookSource", "{verification: {provider: apiKey, secretRef: {name: token, key: password}, apiKey: {header: X-Hook-Key}}}" },
        { "WebhookSource", "{verification: {provider: twilio, secretRef: {name: token, key: password}, twilio: {publicUrl: 'https://hooks.example.com/e/default/twilio'}}}" },
        { "WebhookSource", "{verification: {provider: none}}" },
        { "WebhookSource", "{verification: {provider: none, additionalSecretRefs: []}}" },
        { "Destination", "{url: 'HTTPS://Billing.Example.com:8443/hooks?team=a'}" },
        { "Destination", $"{{{Url}, method: PATCH, timeout: 250ms, maxConcurrency: 1000, headers: {{X-Team: payments}}}}" },
        { "Destination", $"{{{Url}, auth: {{type: basic, username: hooks, secretRef: {{name: token, key: password}}}}}}" },
        { "Destination", $"{{{Url}, auth: {{type: apiKey, header: X-Key, secretRef: {{name: token, key: password}}}}}}" },
        { "Destination", $"{{{Url}, signing: {{secretRef: {{name: hook, key: secret}}}}}}" },
        { "Connection", $"{{{Refs}, paused: true, retention: 24h, deadLetter: {{retention: 720h}}}}" },
        { "Connection", $"{{{Refs}, retry: {{maxDelay: 2s}}}}" },
        { "Connection", $"{{{Refs}, retry: {{initialDelay: 1m, maxDelay: 60s}}}}" },
        { "Connection", $"{{{Refs}, retry: {{strategy: linear, maxAttempts: 1, retryOn: [clientError]}}}}" },
        { "Connection", $"{{{Refs}, retry: {{maxAttempts: 100, retryOn: [], maxRetryAfter: 6h}}}}" },
    };

    /// <summary>Rules that need other objects or the bytes of a Secret, which a schema cannot see.</summary>
    public static TheoryData<string, string> GatewayOnlyRejections() => new()
    {
        { "Connection", "{sourceRef: {name: missing}, destinationRef: {name: billing}}" },
        { "WebhookSource", "{verification: {provider: github, secretRef: {name: missing, key: secret}}}" },
        { "WebhookSource", "{verification: {provider: github, secretRef: {name: hook, key: missing}}}" },
        { "WebhookSource", "{verification: {provider: stripe, secretRef: {name: token, key: password}}}" },
        { "WebhookSource", $"{{path: /hooks/github, verification: {{{GitHub}}}}}" },
        { "Destination", $"{{{Url}, signing: {{secretRef: {{name: token, key: password}}}}}}" },
        { "Destination", "{url: 'http://billing.example.com:99999/hooks'}" },
    };

    /// <summary>
    /// Rules only the schema applies: the gateway ignores spec.replays in manifests (its admin API checks replay
    /// requests sent over HTTP), and it does not check the header name of apiKey auth.
    /// </summary>
    public static TheoryData<string, string> SchemaOnlyRejections() => new()
    {
        { "Connection", $"{{{Refs}, replays: [{{name: After_Outage, state: all}}]}}" },
        { "Connection", $"{{{Refs}, replays: [{{name: r, state: all, from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z'}}]}}" },
        { "Destination", $"{{{Url}, auth: {{type: apiKey, header: 'X Key', secretRef: {{name: token, key: password}}}}}}" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void InvalidSpec_RejectedByBothAtRelatedFields(string kind, string spec)
    {
        var schemaErrors = Validator.Validate(CrdTestResources.Create(kind, spec));
        var gatewayErrors = GatewayErrors(kind, spec);

        Assert.NotEmpty(schemaErrors);
        Assert.NotEmpty(gatewayErrors);
        Assert.True(
            gatewayErrors.Any(gateway => schemaErrors.Any(schema => Related(gateway.Field ?? "", schema.Path))),
            $"the schema and the gateway reject different fields.\nschema:\n{string.Join("\n", schemaErrors)}\ngateway:\n{string.Join("\n", gatewayErrors.Select(error => error.Field + ": " + error.Message))}");
    }

    [Theory]
    [MemberData(nameof(ValidSpecs))]
    public void ValidSpec_AcceptedByBoth(string kind, string spec)
    {
        var schemaErrors = Validator.Validate(CrdTestResources.Create(kind, spec));
        var gatewayErrors = GatewayErrors(kind, spec);

        Assert.True(schemaErrors.Count == 0, $"the schema rejects:\n{string.Join("\n", schemaErrors)}");
        Assert.True(gatewayErrors.Count == 0, $"the gateway rejects:\n{string.Join("\n", gatewayErrors.Select(error => error.Field + ": " + error.Message))}");
    }

    [Theory]
    [MemberData(nameof(GatewayOnlyRejections))]
    public void CrossObjectRule_RejectedByGatewayOnly(string kind, string spec)
    {
        Assert.Empty(Validator.Validate(CrdTestResources.Create(kind, spec)));
        Assert.NotEmpty(GatewayErrors(kind, spec));
    }

    [Theory]
    [MemberData(nameof(SchemaOnlyRejections))]
    public void SchemaOnlyRule_RejectedBySchemaOnly(string kind, string spec)
    {
        Assert.NotEmpty(Validator.Validate(CrdTestResources.Create(kind, spec)));
        Assert.Empty(GatewayErrors(kind, spec));
    }

    [Fact]
    public void Fixture_IsValidForGateway()
    {
        var errors = new List<ManifestError>();
        var set = new ManifestSet();

        ManifestLoader.LoadText(set, "fixture.yaml", Fixture, errors);
        errors.AddRange(ManifestValidator.Validate(set));

        Assert.Empty(errors);
    }

    /// <summary>Loads the fixture and the subject resource and returns the gateway's errors about the subject.</summary>
    private static List<ManifestError> GatewayErrors(string kind, string spec)
    {
        var subject = CrdTestResources.Create(kind, spec);
        var text = Fixture + "\n---\n" + subject.ToJsonString();
        var errors = new List<ManifestError>();
        var set = new ManifestSet();

        ManifestLoader.LoadText(set, "test.yaml", text, errors);
        errors.AddRange(ManifestValidator.Validate(set));
        return errors.Where(error => error.Resource == $"{kind} default/{CrdTestResources.Name}").ToList();
    }

    /// <summary>
    /// Returns whether two field paths name the same field or one lies inside the other, ignoring list indexes:
    /// the gateway names "spec.headers.Bad Header" where the schema names "spec.headers".
    /// </summary>
    private static bool Related(string gatewayField, string schemaPath)
    {
        var gateway = WithoutIndexes(gatewayField);
        var schema = WithoutIndexes(schemaPath);
        return gateway == schema || gateway.StartsWith(schema + ".", StringComparison.Ordinal) || schema.StartsWith(gateway + ".", StringComparison.Ordinal);
    }

    private static string WithoutIndexes(string path) => System.Text.RegularExpressions.Regex.Replace(path, @"\[[^\]]*\]", "");
}
