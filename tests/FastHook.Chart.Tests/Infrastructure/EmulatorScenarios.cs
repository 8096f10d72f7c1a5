namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// The tests that run the operator, gateways and redis-server against the API emulator. They run one at a time
/// and after the other chart tests, because two shared cores cannot also run helm in parallel without slowing
/// the operator past the tests' deadlines.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EmulatorScenarios
{
    public const string Name = "Emulator scenarios";
}
