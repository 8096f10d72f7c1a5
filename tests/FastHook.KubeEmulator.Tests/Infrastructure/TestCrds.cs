using k8s;
using k8s.Models;

namespace FastHook.KubeEmulator.Tests.Infrastructure;

/// <summary>
/// A CRD shaped like FastHook's Connection, with the schema keywords the emulator validates, installed
/// through the client's typed CustomResourceDefinition model.
/// </summary>
public static class TestCrds
{
    public const string Group = "fasthook.io";

    public const string Version = "v1alpha1";

    public const string ApiVersion = Group + "/" + Version;

    public const string Connections = "connections";

    public const string ConnectionYaml = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: connections.fasthook.io
        spec:
          group: fasthook.io
          scope: Namespaced
          names: {plural: connections, singular: connection, kind: Connection, listKind: ConnectionList}
          versions:
          - name: v1alpha1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [sourceRef, destinationRef]
                    x-kubernetes-validations:
                    - rule: "self.sourceRef.name != self.destinationRef.name"
                      message: "sourceRef and destinationRef must name different objects"
                    properties:
                      sourceRef:
                        type: object
                        required: [name]
                        properties: {name: {type: string, minLength: 1, maxLength: 63}}
                      destinationRef:
                        type: object
                        required: [name]
                        properties: {name: {type: string, minLength: 1, maxLength: 63}}
                      paused: {type: boolean, default: false}
                      filter:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                      retry:
                        type: object
                        default: {}
                        properties:
                          strategy: {type: string, enum: [exponential, linear, fixed], default: exponential}
                          maxAttempts: {type: integer, format: int32, minimum: 1, maximum: 100, default: 10}
                          initialDelay: {type: string, pattern: '^[0-9]+(ms|s|m|h)$', default: 1s}
                      headers:
                        type: object
                        additionalProperties: {type: string}
                      replays:
                        type: array
                        maxItems: 3
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [name]
                        items:
                          type: object
                          required: [name]
                          properties:
                            name: {type: string}
                            from: {type: string, format: date-time}
                  status:
                    type: object
                    properties:
                      observedGeneration: {type: integer, format: int64}
                      delivered: {type: integer}
                      conditions:
                        type: array
                        items:
                          type: object
                          properties:
                            type: {type: string}
                            status: {type: string, enum: ["True", "False", "Unknown"]}
                            reason: {type: string}
        """;

    public static async Task InstallConnectionCrdAsync(IKubernetes client)
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(ConnectionYaml);
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
    }
}
