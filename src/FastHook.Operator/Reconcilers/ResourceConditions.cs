using FastHook.Api.Manifests;
using FastHook.Api.V1Alpha1;
using FastHook.Operator.Status;

namespace FastHook.Operator.Reconcilers;

/// <summary>
/// Turns a resource's validation problems into its conditions: each problem lands on the condition for its
/// field (a Secret reference, a source or destination reference, or the rest of the spec), and Ready sums them up.
/// </summary>
public static class ResourceConditions
{
    /// <summary>Sets Valid, SecretResolved and, for connections, SourceResolved and DestinationResolved; returns whether all hold.</summary>
    public static bool Apply(ResourceStatus status, IReadOnlyList<ManifestError> errors, bool isConnection, long? generation, DateTimeOffset now)
    {
        var secretErrors = errors.Where(error => IsSecretField(error.Field)).ToList();
        var sourceErrors = errors.Where(error => error.Field?.StartsWith("spec.sourceRef", StringComparison.Ordinal) == true).ToList();
        var destinationErrors = errors.Where(error => error.Field?.StartsWith("spec.destinationRef", StringComparison.Ordinal) == true).ToList();
        var specErrors = errors.Except(secretErrors).Except(sourceErrors).Except(destinationErrors).ToList();

        Set(status, ConditionTypes.Valid, specErrors, "SpecValid", "The spec passes every check the gateway runs", "InvalidSpec", generation, now);
        Set(status, ConditionTypes.SecretResolved, secretErrors, "SecretsFound", "Every referenced Secret key exists", SecretReason(secretErrors), generation, now);
        if (isConnection)
        {
            Set(status, ConditionTypes.SourceResolved, sourceErrors, "SourceFound", "The source exists", "SourceNotFound", generation, now);
            Set(status, ConditionTypes.DestinationResolved, destinationErrors, "DestinationFound", "The destination exists", "DestinationNotFound", generation, now);
        }

        return errors.Count == 0;
    }

    /// <summary>One line per problem: the field and what to fix, as the validator words it.</summary>
    public static string Describe(IEnumerable<ManifestError> errors) =>
        string.Join("; ", errors.Select(error => error.Field is null ? error.Message : $"{error.Field}: {error.Message}"));

    private static void Set(ResourceStatus status, string type, List<ManifestError> errors, string okReason, string okMessage, string failedReason, long? generation, DateTimeOffset now)
    {
        if (errors.Count == 0)
        {
            Conditions.Set(status.Conditions, type, true, okReason, okMessage, generation, now);
        }
        else
        {
            Conditions.Set(status.Conditions, type, false, failedReason, Describe(errors), generation, now);
        }
    }

    private static string SecretReason(List<ManifestError> errors) =>
        errors.Any(error => error.Message.Contains("does not exist", StringComparison.Ordinal)) ? "SecretNotFound"
        : errors.Any(error => error.Message.Contains("has no key", StringComparison.Ordinal)) ? "SecretKeyNotFound"
        : "SecretInvalid";

    private static bool IsSecretField(string? field) =>
        field is not null && (field.Contains("secretRef", StringComparison.OrdinalIgnoreCase) || field.Contains("SecretRefs", StringComparison.Ordinal));
}
