namespace FastHook.Operator.Tests.EndToEnd;

/// <summary>
/// A test that runs against the real cluster in <c>$FASTHOOK_E2E_KUBECONFIG</c> (set by <c>make e2e</c>) and is
/// skipped without it.
/// </summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public const string Variable = "FASTHOOK_E2E_KUBECONFIG";

    public ClusterFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set; run `make e2e` with KUBECONFIG pointing at a test cluster";
        }
    }
}
