using k8s;
using k8s.Models;

namespace FastHook.Operator.Tests.Infrastructure;

/// <summary>
/// Minimal CustomResourceDefinitions for the three FastHook kinds: a status subresource and schemas that keep
/// every field, so the tests exercise the operator rather than a schema.
/// </summary>
public static class FastHookCrds
{
    public static async Task InstallAsync(IKubernetes client)
    {
        foreach (var (kind, plural) in new[] { ("WebhookSource", "webhooksources"), ("Destination", "destinations"), ("Connection", "connections") })
        {
            var yaml = $$"""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: {{plural}}.fasthook.io
                spec:
                  group: fasthook.io
                  scope: Namespaced
                  names: {plural: {{plural}}, singular: {{kind.ToLowerInvariant()}}, kind: {{kind}}, listKind: {{kind}}List}
                  versions:
                  - name: v1alpha1
                    served: true
                    storage: true
                    subresources:
                      status: {}
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
                          status: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """;
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml));
        }
    }
}
