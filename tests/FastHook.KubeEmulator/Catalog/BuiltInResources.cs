namespace FastHook.KubeEmulator.Catalog;

/// <summary>
/// The built-in types an operator of FastHook reads and writes, with the scope, status subresource and
/// generation rules of the real API server (Kubernetes 1.33).
/// </summary>
internal static class BuiltInResources
{
    public static readonly ResourceType Namespaces = new()
    {
        Group = "",
        Versions = ["v1"],
        Plural = "namespaces",
        Singular = "namespace",
        Kind = "Namespace",
        Namespaced = false,
        ShortNames = ["ns"],
        HasStatusSubresource = true,
        NameRule = NameRule.DnsLabel,
        SelectableFields = ["status.phase"],
    };

    public static readonly ResourceType CustomResourceDefinitions = new()
    {
        Group = "apiextensions.k8s.io",
        Versions = ["v1"],
        Plural = "customresourcedefinitions",
        Singular = "customresourcedefinition",
        Kind = "CustomResourceDefinition",
        Namespaced = false,
        ShortNames = ["crd", "crds"],
        HasStatusSubresource = true,
        TracksGeneration = true,
    };

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Namespaces,
        new()
        {
            Group = "",
            Versions = ["v1"],
            Plural = "secrets",
            Singular = "secret",
            Kind = "Secret",
            Namespaced = true,
            SelectableFields = ["type"],
        },
        new()
        {
            Group = "",
            Versions = ["v1"],
            Plural = "configmaps",
            Singular = "configmap",
            Kind = "ConfigMap",
            Namespaced = true,
            ShortNames = ["cm"],
        },
        new()
        {
            Group = "",
            Versions = ["v1"],
            Plural = "services",
            Singular = "service",
            Kind = "Service",
            Namespaced = true,
            ShortNames = ["svc"],
            HasStatusSubresource = true,
            NameRule = NameRule.Dns1035Label,
        },
        new()
        {
            Group = "",
            Versions = ["v1"],
            Plural = "events",
            Singular = "event",
            Kind = "Event",
            Namespaced = true,
            ShortNames = ["ev"],
            SelectableFields =
            [
                "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                "reason", "reportingComponent", "source", "type",
            ],
        },
        new()
        {
            Group = "apps",
            Versions = ["v1"],
            Plural = "deployments",
            Singular = "deployment",
            Kind = "Deployment",
            Namespaced = true,
            ShortNames = ["deploy"],
            HasStatusSubresource = true,
            TracksGeneration = true,
        },
        new()
        {
            Group = "policy",
            Versions = ["v1"],
            Plural = "poddisruptionbudgets",
            Singular = "poddisruptionbudget",
            Kind = "PodDisruptionBudget",
            Namespaced = true,
            ShortNames = ["pdb"],
            HasStatusSubresource = true,
            TracksGeneration = true,
        },
        new()
        {
            Group = "coordination.k8s.io",
            Versions = ["v1"],
            Plural = "leases",
            Singular = "lease",
            Kind = "Lease",
            Namespaced = true,
        },
        new()
        {
            Group = "events.k8s.io",
            Versions = ["v1"],
            Plural = "events",
            Singular = "event",
            Kind = "Event",
            Namespaced = true,
            ShortNames = ["ev"],
            SelectableFields =
            [
                "regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "reason",
                "reportingController", "type",
            ],
        },
        CustomResourceDefinitions,
    ];
}
