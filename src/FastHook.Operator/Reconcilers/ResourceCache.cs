using FastHook.Api.V1Alpha1;
using FastHook.Operator.Controllers;
using k8s.Models;

namespace FastHook.Operator.Reconcilers;

/// <summary>
/// The informers' caches that every reconciler reads.
/// </summary>
public sealed class ResourceCache(
    IReadOnlyList<Informer<WebhookSource>> sources,
    IReadOnlyList<Informer<Destination>> destinations,
    IReadOnlyList<Informer<Connection>> connections,
    IReadOnlyList<Informer<V1Secret>> secrets)
{
    public IEnumerable<WebhookSource> Sources => sources.SelectMany(informer => informer.Items);

    public IEnumerable<Destination> Destinations => destinations.SelectMany(informer => informer.Items);

    public IEnumerable<Connection> Connections => connections.SelectMany(informer => informer.Items);

    public WebhookSource? Source(string ns, string name) => sources.Select(informer => informer.Get(ns, name)).FirstOrDefault(item => item is not null);

    public Destination? Destination(string ns, string name) => destinations.Select(informer => informer.Get(ns, name)).FirstOrDefault(item => item is not null);

    public Connection? Connection(string ns, string name) => connections.Select(informer => informer.Get(ns, name)).FirstOrDefault(item => item is not null);

    public V1Secret? Secret(string ns, string name) => secrets.Select(informer => informer.Get(ns, name)).FirstOrDefault(item => item is not null);

    public RouteAnalysis Analyze() => RouteAnalysis.Analyze(Sources, Destinations, Connections, Secret);
}
