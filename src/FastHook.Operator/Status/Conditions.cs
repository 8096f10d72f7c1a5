using FastHook.Api.V1Alpha1;

namespace FastHook.Operator.Status;

/// <summary>
/// Sets conditions so that <c>lastTransitionTime</c> changes only when a condition's status changes.
/// </summary>
public static class Conditions
{
    public static void Set(IList<ResourceCondition> conditions, string type, bool status, string reason, string message, long? generation, DateTimeOffset now) =>
        Set(conditions, type, status ? "True" : "False", reason, message, generation, now);

    /// <summary>Sets a condition whose status the operator cannot tell yet to "Unknown".</summary>
    public static void SetUnknown(IList<ResourceCondition> conditions, string type, string reason, string message, long? generation, DateTimeOffset now) =>
        Set(conditions, type, "Unknown", reason, message, generation, now);

    private static void Set(IList<ResourceCondition> conditions, string type, string value, string reason, string message, long? generation, DateTimeOffset now)
    {
        var existing = conditions.FirstOrDefault(condition => condition.Type == type);
        if (existing is null)
        {
            existing = new ResourceCondition { Type = type };
            conditions.Add(existing);
        }

        if (existing.Status != value || existing.LastTransitionTime is null)
        {
            existing.Status = value;

            // Kubernetes stores condition times with second precision, so a finer time would read back different.
            existing.LastTransitionTime = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        }

        existing.Reason = reason;
        existing.Message = message;
        existing.ObservedGeneration = generation;
    }

    public static void Remove(IList<ResourceCondition> conditions, string type)
    {
        for (var i = conditions.Count - 1; i >= 0; i--)
        {
            if (conditions[i].Type == type)
            {
                conditions.RemoveAt(i);
            }
        }
    }

    public static bool IsTrue(IEnumerable<ResourceCondition> conditions, string type) =>
        conditions.Any(condition => condition.Type == type && condition.Status == "True");
}
