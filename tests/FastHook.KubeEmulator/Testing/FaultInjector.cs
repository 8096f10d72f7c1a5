namespace FastHook.KubeEmulator.Testing;

/// <summary>
/// The faults armed for the next requests. Each request uses up at most one fault: the oldest matching rule.
/// </summary>
public sealed class FaultInjector
{
    private static HashSet<string> WriteVerbs { get; } = ["create", "update", "patch", "delete", "deletecollection"];

    private readonly Lock _lock = new();
    private readonly List<(FaultRule Rule, int Remaining)> _rules = [];

    /// <summary>Makes the next <paramref name="count"/> writes of <paramref name="kind"/> fail with <paramref name="statusCode"/>.</summary>
    public void FailNextWrites(string kind, int count, int statusCode) =>
        Add(new FaultRule { Kind = kind, Count = count, StatusCode = statusCode });

    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentOutOfRangeException.ThrowIfLessThan(rule.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rule.StatusCode, 400);
        lock (_lock)
        {
            _rules.Add((rule, rule.Count));
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    /// <summary>Uses up one matching fault and returns its status code, or returns null when none matches.</summary>
    internal int? TryTake(string kind, string verb, string? subresource)
    {
        lock (_lock)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var (rule, remaining) = _rules[i];
                if (!Matches(rule, kind, verb, subresource))
                {
                    continue;
                }

                if (remaining == 1)
                {
                    _rules.RemoveAt(i);
                }
                else
                {
                    _rules[i] = (rule, remaining - 1);
                }

                return rule.StatusCode;
            }

            return null;
        }
    }

    private static bool Matches(FaultRule rule, string kind, string verb, string? subresource) =>
        rule.Kind == kind &&
        (rule.Verbs ?? WriteVerbs).Contains(verb) &&
        (rule.Subresource is null || rule.Subresource == (subresource ?? ""));
}
