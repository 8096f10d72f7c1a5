using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Http;

namespace FastHook.KubeEmulator.Validation;

/// <summary>
/// The schema of one version of a custom resource, applied to every write in the order the API server uses:
/// prune unknown fields, apply defaults, validate the structural schema, then the CEL rules.
/// </summary>
internal sealed class CustomResourceSchema(StructuralSchema root, CelRuleCompiler compiler)
{
    /// <summary>The ObjectMeta fields kept under metadata. The API server drops any other field there.</summary>
    private static HashSet<string> MetadataFields { get; } =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
        "ownerReferences", "finalizers", "managedFields",
    ];

    public StructuralSchema Root => root;

    /// <summary>Drops the fields the schema does not declare and fills in declared defaults.</summary>
    public void PruneAndDefault(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            foreach (var key in metadata.Select(p => p.Key).Where(k => !MetadataFields.Contains(k)).ToList())
            {
                metadata.Remove(key);
            }
        }

        Pruning.PruneObject(obj, root, isRoot: true);
        Defaulting.Apply(obj, root, isRoot: true);
    }

    /// <summary>Validates the object. <paramref name="old"/> is the stored object on updates, for transition rules.</summary>
    public List<StatusCause> Validate(JsonObject obj, JsonObject? old)
    {
        var causes = new List<StatusCause>();
        var validator = new SchemaValidator(compiler, causes);
        validator.ValidateRoot(obj, old, root);
        return causes;
    }
}
