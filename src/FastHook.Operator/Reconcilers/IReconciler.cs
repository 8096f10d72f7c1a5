using FastHook.Operator.Controllers;

namespace FastHook.Operator.Reconcilers;

/// <summary>
/// Brings one object named by namespace and name in line with what its resources ask for.
/// </summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(string ns, string name, CancellationToken cancellationToken);
}
