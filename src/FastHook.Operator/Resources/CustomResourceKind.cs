using FastHook.Api.V1Alpha1;

namespace FastHook.Operator.Resources;

/// <summary>
/// The API names of one FastHook custom resource kind.
/// </summary>
public sealed record CustomResourceKind(string Kind, string Plural)
{
    public static readonly CustomResourceKind Sources = new(WebhookSource.KindName, "webhooksources");

    public static readonly CustomResourceKind Destinations = new(Destination.KindName, "destinations");

    public static readonly CustomResourceKind Connections = new(Connection.KindName, "connections");

    public static CustomResourceKind Of(string kind) => kind switch
    {
        WebhookSource.KindName => Sources,
        Destination.KindName => Destinations,
        Connection.KindName => Connections,
        _ => throw new ArgumentException($"\"{kind}\" is not a FastHook kind: use WebhookSource, Destination or Connection", nameof(kind)),
    };
}
