using k8s;
using k8s.Models;

namespace FastHook.KubeEmulator.Tests.Infrastructure;

/// <summary>
/// A list of <see cref="TestResource"/> as the list endpoint returns it.
/// </summary>
public sealed class TestResourceList : IKubernetesObject<V1ListMeta>, IItems<TestResource>
{
    public string ApiVersion { get; set; } = TestCrds.ApiVersion;

    public string Kind { get; set; } = "ConnectionList";

    public V1ListMeta Metadata { get; set; } = new();

    public IList<TestResource> Items { get; set; } = [];
}
