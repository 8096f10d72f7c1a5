using FastHook.KubeEmulator.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// One API call as the RBAC authorizer evaluates it: group, resource (with "/subresource"), verb, namespace (null for a
/// call across all namespaces) and object name. A list or watch with a metadata.name field selector has that
/// name, because Kubernetes checks resourceNames against it.
/// </summary>
internal sealed record ApiCall(string ApiGroup, string Resource, string Verb, string? Namespace, string? Name)
{
    public static ApiCall Of(RecordedRequest request)
    {
        var name = request.Name;
        if (name is null && request.Verb is "list" or "watch"
            && QueryHelpers.ParseQuery(request.Query).TryGetValue("fieldSelector", out var selector))
        {
            name = selector.ToString().Split(',')
                .Select(term => term.Split("=", 2, StringSplitOptions.None))
                .Where(parts => parts.Length == 2 && parts[0] == "metadata.name")
                .Select(parts => parts[1].TrimStart('='))
                .FirstOrDefault();
        }

        return new ApiCall(request.Group, request.RbacResource, request.Verb, request.Namespace, name);
    }

    public override string ToString() =>
        $"{Verb} {(ApiGroup.Length == 0 ? "" : ApiGroup + "/")}{Resource}{(Name is null ? "" : "/" + Name)} {(Namespace is null ? "in all namespaces" : "in " + Namespace)}";
}

/// <summary>
/// One (API group, resource, verb, resource name) that a rule grants a subject, cluster-wide or in one namespace,
/// with the role and binding that grant it.
/// </summary>
internal sealed record Grant(string? Namespace, string ApiGroup, string Resource, string Verb, string? ResourceName, string Source)
{
    public bool IsClusterWide => Namespace is null;

    public bool Allows(ApiCall call) =>
        call.ApiGroup == ApiGroup
        && call.Resource == Resource
        && call.Verb == Verb
        && (Namespace is null || Namespace == call.Namespace)
        && (ResourceName is null || ResourceName == call.Name);

    public override string ToString() =>
        $"{Verb} {(ApiGroup.Length == 0 ? "" : ApiGroup + "/")}{Resource}{(ResourceName is null ? "" : "/" + ResourceName)} {(Namespace is null ? "cluster-wide" : "in " + Namespace)} ({Source})";
}

/// <summary>
/// What the rendered ClusterRoles, Roles and bindings grant one ServiceAccount, expanded rule by rule into
/// <see cref="Grant"/>s. Wildcards and nonResourceURLs are not expanded: the chart uses neither.
/// </summary>
internal static class RbacGrants
{
    public static IReadOnlyList<Grant> For(RenderedChart chart, string serviceAccount, string serviceAccountNamespace)
    {
        var grants = new List<Grant>();
        foreach (var binding in chart.OfKind("ClusterRoleBinding").Concat(chart.OfKind("RoleBinding")))
        {
            if (!Binds(binding, serviceAccount, serviceAccountNamespace))
            {
                continue;
            }

            var roleKind = binding.GetScalar("roleRef.kind");
            var roleName = binding.GetScalar("roleRef.name");
            var role = roleKind == "ClusterRole" ? chart.Single(roleKind, roleName) : chart.Single(roleKind, roleName, binding.Namespace!);
            var scope = binding.Kind == "ClusterRoleBinding" ? null : binding.Namespace;
            grants.AddRange(Expand(role, scope, $"{role.Kind} {role.Name} through {binding.Kind} {binding.Name}"));
        }

        return grants;
    }

    private static bool Binds(KubernetesObject binding, string serviceAccount, string serviceAccountNamespace) =>
        binding.GetList("subjects")
            .Select(item => YamlNodes.Map(item, $"{binding} subject"))
            .Any(subject => subject["kind"] as string == "ServiceAccount"
                && subject["name"] as string == serviceAccount
                && subject["namespace"] as string == serviceAccountNamespace);

    private static IEnumerable<Grant> Expand(KubernetesObject role, string? scope, string source)
    {
        foreach (var item in role.GetList("rules"))
        {
            var rule = YamlNodes.Map(item, $"{role} rule");
            if (rule.ContainsKey("nonResourceURLs"))
            {
                throw new InvalidOperationException($"{role} has a nonResourceURLs rule, which this check does not evaluate.");
            }

            var names = rule.TryGetValue("resourceNames", out var listed) ? YamlNodes.Strings(listed, "resourceNames").Select(name => (string?)name).ToList() : [null];
            foreach (var apiGroup in YamlNodes.Strings(rule["apiGroups"], "apiGroups"))
            {
                foreach (var resource in YamlNodes.Strings(rule["resources"], "resources"))
                {
                    foreach (var verb in YamlNodes.Strings(rule["verbs"], "verbs"))
                    {
                        if (apiGroup == "*" || resource.Contains('*', StringComparison.Ordinal) || verb == "*")
                        {
                            throw new InvalidOperationException($"{role} grants a wildcard ({apiGroup} {resource} {verb}), which this check does not evaluate.");
                        }

                        foreach (var name in names)
                        {
                            yield return new Grant(scope, apiGroup, resource, verb, name, source);
                        }
                    }
                }
            }
        }
    }
}
