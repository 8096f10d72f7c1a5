using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

/// <summary>
/// The chart's RBAC rules compared with the API calls that the real operator and gateway made against the API
/// emulator (<see cref="ApiUsageRecording"/>): every call must be granted to the caller's ServiceAccount by the
/// rendering installed at the time, and every permission the chart grants must be used by some call.
/// </summary>
/// <remarks>
/// A cluster-wide grant counts as used only by a call that needs it: one across all namespaces, or, while the
/// operator watches all namespaces, one outside the release namespace. A call in the release namespace, or in a
/// namespace listed in watchNamespaces, would be granted by a Role there.
/// </remarks>
[Collection(EmulatorScenarios.Name)]
public sealed class RbacUsageTests(ApiUsageRecording recording) : IClassFixture<ApiUsageRecording>
{
    private const string OperatorServiceAccount = "fasthook-operator";
    private const string GatewayServiceAccount = "fasthook-gateway";

    /// <summary>Operator permissions that no recorded phase reaches, each with the reason it is still needed.</summary>
    private static readonly Dictionary<GrantKey, string> AllowedUnusedOperatorGrants = [];

    /// <summary>Gateway permissions that no recorded phase reaches, each with the reason it is still needed.</summary>
    private static readonly Dictionary<GrantKey, string> AllowedUnusedGatewayGrants = [];

    [Fact]
    public void Recording_CoversEveryPhase()
    {
        Assert.Equal(5, recording.Phases.Count);
        foreach (var phase in recording.Phases)
        {
            Assert.True(phase.OperatorCalls.Count > 0, $"no operator call was recorded in phase \"{phase.Name}\"");
        }

        Assert.Equal(2, recording.Phases.Count(phase => phase.GatewayCalls.Count > 0));
    }

    [Fact]
    public void OperatorCalls_AreAllGranted()
    {
        var denied = DeniedCalls(OperatorServiceAccount, phase => phase.OperatorCalls);

        Assert.True(denied.Count == 0, $"The chart does not grant the operator's ServiceAccount these calls that it made:\n{string.Join('\n', denied)}");
    }

    [Fact]
    public void OperatorGrants_AreAllUsed()
    {
        var unused = UnusedGrants(OperatorServiceAccount, phase => phase.OperatorCalls, AllowedUnusedOperatorGrants);

        Assert.True(unused.Count == 0, UnusedMessage("operator", unused));
    }

    [Fact]
    public void GatewayCalls_AreAllGranted()
    {
        var denied = DeniedCalls(GatewayServiceAccount, phase => phase.GatewayCalls);

        Assert.True(denied.Count == 0, $"The chart does not grant the gateway's ServiceAccount these calls that it made:\n{string.Join('\n', denied)}");
    }

    [Fact]
    public void GatewayGrants_AreAllUsed()
    {
        var unused = UnusedGrants(GatewayServiceAccount, phase => phase.GatewayCalls, AllowedUnusedGatewayGrants);

        Assert.True(unused.Count == 0, UnusedMessage("gateway", unused));
    }

    private List<string> DeniedCalls(string serviceAccount, Func<RecordedPhase, IReadOnlyList<ApiCall>> calls)
    {
        var denied = new List<string>();
        foreach (var phase in recording.Phases)
        {
            var grants = RbacGrants.For(phase.Chart, serviceAccount, HelmChart.Namespace);
            denied.AddRange(calls(phase)
                .Where(call => !grants.Any(grant => grant.Allows(call)))
                .Distinct()
                .Select(call => $"  {call} (phase \"{phase.Name}\")"));
        }

        return denied;
    }

    /// <summary>
    /// Lists the grants that no call of the phases they were installed in used, and allow-list entries that are
    /// used after all or granted nowhere, so the list cannot go stale.
    /// </summary>
    private List<string> UnusedGrants(string serviceAccount, Func<RecordedPhase, IReadOnlyList<ApiCall>> calls, Dictionary<GrantKey, string> allowed)
    {
        var granted = new Dictionary<GrantKey, Grant>();
        var used = new HashSet<GrantKey>();
        foreach (var phase in recording.Phases)
        {
            foreach (var grant in RbacGrants.For(phase.Chart, serviceAccount, HelmChart.Namespace))
            {
                var key = GrantKey.Of(grant);
                granted.TryAdd(key, grant);
                if (calls(phase).Any(call => grant.Allows(call) && NeedsScopeOf(grant, call, phase)))
                {
                    used.Add(key);
                }
            }
        }

        var unused = granted
            .Where(pair => !used.Contains(pair.Key) && !allowed.ContainsKey(pair.Key))
            .Select(pair => $"  {pair.Value}")
            .Order(StringComparer.Ordinal)
            .ToList();
        unused.AddRange(allowed.Keys
            .Where(key => used.Contains(key) || !granted.ContainsKey(key))
            .Select(key => $"  allow-list entry {key} is {(used.Contains(key) ? "used by a recorded call" : "granted by no rendering")}: remove it"));
        return unused;
    }

    private static bool NeedsScopeOf(Grant grant, ApiCall call, RecordedPhase phase) =>
        !grant.IsClusterWide || call.Namespace is null || (!phase.WatchesNamespaces && call.Namespace != HelmChart.Namespace);

    private static string UnusedMessage(string component, List<string> unused) =>
        $"The chart grants the {component}'s ServiceAccount these permissions, but no recorded call needed them. Remove them from the chart, "
        + $"or add them to the allow-list in {nameof(RbacUsageTests)} with the reason the scenario cannot reach them:\n{string.Join('\n', unused)}";

    /// <summary>
    /// A grant without its source role: where it applies ("cluster", "release namespace" or "watched namespace"),
    /// group, resource, verb and resource name.
    /// </summary>
    internal sealed record GrantKey(string Scope, string ApiGroup, string Resource, string Verb, string? ResourceName)
    {
        public static GrantKey Of(Grant grant) => new(
            grant.Namespace switch
            {
                null => "cluster",
                HelmChart.Namespace => "release namespace",
                _ => "watched namespace",
            },
            grant.ApiGroup,
            grant.Resource,
            grant.Verb,
            grant.ResourceName);

        public override string ToString() => $"{Verb} {(ApiGroup.Length == 0 ? "" : ApiGroup + "/")}{Resource}{(ResourceName is null ? "" : "/" + ResourceName)} ({Scope})";
    }
}
