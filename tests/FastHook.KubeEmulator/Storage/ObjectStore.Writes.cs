using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Catalog;
using FastHook.KubeEmulator.Http;
using FastHook.KubeEmulator.Patching;
using FastHook.KubeEmulator.Validation;

namespace FastHook.KubeEmulator.Storage;

/// <summary>
/// Create, update and patch: the metadata rules, optimistic concurrency, the status subresource split,
/// generation and validation that every write goes through.
/// </summary>
internal sealed partial class ObjectStore
{
    /// <summary>The metadata fields only the server sets. A client's values for them are ignored.</summary>
    private static string[] ServerMetadataFields { get; } =
    [
        "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace",
    ];

    public WriteResult Create(ResourceScope scope, JsonObject body, bool dryRun)
    {
        CheckTypeMeta(scope, body);
        CheckNamespace(scope, body);
        if (Metadata.ResourceVersion(body) is { Length: > 0 })
        {
            throw ApiErrors.BadRequest("metadata.resourceVersion must not be set on objects to be created; remove it and retry");
        }

        lock (_lock)
        {
            return CreateLocked(scope, body, dryRun);
        }
    }

    public WriteResult Update(ResourceScope scope, string name, string? subresource, JsonObject body, bool dryRun)
    {
        CheckTypeMeta(scope, body);
        CheckNamespace(scope, body);
        if (Metadata.Name(body) != name)
        {
            throw ApiErrors.BadRequest(
                $"the name of the object ({Metadata.Name(body)}) does not match the name on the URL ({name})");
        }

        lock (_lock)
        {
            var old = Find(scope.Type, scope.Namespace, name) ?? throw ApiErrors.NotFound(scope.Type, name);
            return CommitUpdate(scope, old, body, subresource, requirePrecondition: true, dryRun);
        }
    }

    public WriteResult Patch(ResourceScope scope, string name, string? subresource, PatchRequest patch, bool dryRun)
    {
        if (patch.Kind == PatchKind.StrategicMerge && scope.Type.IsCustom)
        {
            throw ApiErrors.UnsupportedMediaType(
                "strategic merge patch is not supported for custom resources; use application/merge-patch+json, application/json-patch+json or application/apply-patch+yaml");
        }

        lock (_lock)
        {
            var old = Find(scope.Type, scope.Namespace, name);
            if (patch.Kind == PatchKind.Apply)
            {
                return ApplyLocked(scope, name, subresource, old, patch, dryRun);
            }

            if (old is null)
            {
                throw ApiErrors.NotFound(scope.Type, name);
            }

            var candidate = ApplyPatchDocument(Present(scope.Type, scope.Version, old), patch);
            if (Metadata.Name(candidate) != name || Metadata.Namespace(candidate) != Metadata.Namespace(old))
            {
                throw ApiErrors.BadRequest("a patch may not change metadata.name or metadata.namespace");
            }

            CheckTypeMeta(scope, candidate);
            return CommitUpdate(scope, old, candidate, subresource, requirePrecondition: false, dryRun);
        }
    }

    private static JsonObject ApplyPatchDocument(JsonObject current, PatchRequest patch)
    {
        try
        {
            switch (patch.Kind)
            {
                case PatchKind.Json:
                    var operations = JsonNode.Parse(patch.Body) as JsonArray
                        ?? throw ApiErrors.BadRequest("a JSON patch must be a JSON array of operations");
                    return JsonPatch.Apply(current, operations) as JsonObject
                        ?? throw ApiErrors.UnprocessablePatch("the JSON patch turned the object into something other than a JSON object");
                default:
                    var document = JsonNode.Parse(patch.Body) as JsonObject
                        ?? throw ApiErrors.BadRequest("a merge patch must be a JSON object");
                    MergePatch.Apply(current, document, strategic: patch.Kind == PatchKind.StrategicMerge);
                    return current;
            }
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiErrors.BadRequest($"the patch body is not valid JSON: {e.Message}");
        }
        catch (PatchException e)
        {
            throw e.BadRequest ? ApiErrors.BadRequest(e.Message) : ApiErrors.UnprocessablePatch(e.Message);
        }
    }

    private WriteResult ApplyLocked(ResourceScope scope, string name, string? subresource, JsonObject? old, PatchRequest patch, bool dryRun)
    {
        var type = scope.Type;
        if (string.IsNullOrEmpty(patch.FieldManager))
        {
            throw ApiErrors.BadRequest("fieldManager is required for apply requests (application/apply-patch+yaml); add ?fieldManager=NAME");
        }

        var applied = ParseApplyBody(patch.Body);
        if (Metadata.StringValue(applied["apiVersion"]) is null || Metadata.StringValue(applied["kind"]) is null)
        {
            throw ApiErrors.BadRequest("an applied configuration must set apiVersion and kind");
        }

        CheckTypeMeta(scope, applied);
        CheckNamespace(scope, applied);
        if (Metadata.Name(applied) is { Length: > 0 } appliedName && appliedName != name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({appliedName}) does not match the name on the URL ({name})");
        }

        if (old is null && subresource is not null)
        {
            throw ApiErrors.NotFound(type, name);
        }

        var uid = old is null ? null : Metadata.Uid(old);
        var owners = uid is not null && _applyOwners.TryGetValue(uid, out var known)
            ? known
            : new Dictionary<string, HashSet<string>>();
        var current = old is null ? null : Present(type, scope.Version, old);

        var (result, newOwners) = ServerSideApply.Apply(current, applied, patch.FieldManager, patch.Force, owners,
            path => OwnsPath(type, subresource, path),
            causes => ApplyConflict(type, name, causes));

        result["apiVersion"] = type.ApiVersion(scope.Version);
        result["kind"] = type.Kind;
        Metadata.Of(result)["name"] = name;

        WriteResult written;
        if (old is null)
        {
            written = CreateLocked(scope, result, dryRun);
        }
        else
        {
            Metadata.Of(result)["resourceVersion"] = Metadata.ResourceVersion(applied) ?? Metadata.ResourceVersion(old);
            written = CommitUpdate(scope, old, result, subresource, requirePrecondition: false, dryRun);
        }

        if (!dryRun && Metadata.Uid(written.Body) is { } writtenUid && _uids.ContainsKey(writtenUid))
        {
            _applyOwners[writtenUid] = newOwners;
        }

        return written;
    }

    private static bool OwnsPath(ResourceType type, string? subresource, string path)
    {
        var isStatus = path == "/status" || path.StartsWith("/status/", StringComparison.Ordinal);
        return subresource == "status" ? isStatus : !(type.HasStatusSubresource && isStatus);
    }

    private static ApiException ApplyConflict(ResourceType type, string name, IReadOnlyList<StatusCause> causes)
    {
        var listed = string.Join("; ", causes.Select(c => $"{c.Message}: {c.Field}"));
        return new ApiException(409, "Conflict",
            $"Apply failed with {causes.Count} conflict(s): {listed}. Apply with force=true to take ownership of these fields, " +
            "or leave them out of the applied configuration",
            new StatusDetails(name, type.Group, type.Plural, causes));
    }

    private static JsonObject ParseApplyBody(string body)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            try
            {
                node = YamlToJson.Parse(body);
            }
            catch (PatchException e)
            {
                throw ApiErrors.BadRequest(e.Message);
            }
        }

        // Re-reading the JSON text gives every value the same representation as a parsed request body.
        return node is JsonObject obj
            ? (JsonObject)JsonNode.Parse(obj.ToJsonString())!
            : throw ApiErrors.BadRequest("an applied configuration must be a JSON or YAML object");
    }

    private WriteResult CreateLocked(ResourceScope scope, JsonObject body, bool dryRun)
    {
        var type = scope.Type;
        var obj = (JsonObject)body.DeepClone();
        var metadata = Metadata.Of(obj);
        obj["apiVersion"] = type.ApiVersion(type.StorageVersion);
        obj["kind"] = type.Kind;

        if (type.Namespaced)
        {
            EnsureNamespaceAcceptsContent(scope.Namespace!);
        }

        AssignName(type, obj);
        foreach (var field in ServerMetadataFields)
        {
            metadata.Remove(field);
        }

        metadata.Remove("managedFields");
        metadata.Remove("selfLink");
        if (type.Namespaced)
        {
            metadata["namespace"] = scope.Namespace;
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Metadata.FormatTime(_time.GetUtcNow());
        if (type.TracksGeneration)
        {
            metadata["generation"] = 1;
        }

        if (type.HasStatusSubresource)
        {
            obj.Remove("status");
        }

        _builtIns.BeforeCreate(type, obj);
        var causes = MetadataValidation.Validate(type, obj);
        causes.AddRange(Admit(scope, obj, null));
        if (causes.Count > 0)
        {
            throw ApiErrors.Invalid(type, Metadata.Name(obj), causes);
        }

        ResourceType? customType = null;
        if (type == BuiltInResources.CustomResourceDefinitions)
        {
            customType = CustomResourceDefinitions.ToResourceType(obj, _compiler);
            CustomResourceDefinitions.SetEstablishedStatus(obj, _time.GetUtcNow());
        }

        if (Find(type, scope.Namespace, Metadata.Name(obj)) is not null)
        {
            throw ApiErrors.AlreadyExists(type, Metadata.Name(obj));
        }

        if (dryRun)
        {
            return new WriteResult(201, Present(type, scope.Version, obj));
        }

        Insert(type, obj);
        if (customType is not null)
        {
            _catalog.Register(customType);
        }

        Sweep();
        return new WriteResult(201, Present(type, scope.Version, obj));
    }

    /// <summary>
    /// Turns <paramref name="candidate"/> into the next state of <paramref name="old"/> and stores it. A write
    /// that changes nothing keeps the resourceVersion and sends no watch event, as on the API server.
    /// </summary>
    private WriteResult CommitUpdate(ResourceScope scope, JsonObject old, JsonObject candidate, string? subresource, bool requirePrecondition, bool dryRun)
    {
        var type = scope.Type;
        var name = Metadata.Name(old);
        CheckPrecondition(type, old, candidate, requirePrecondition);

        var updated = subresource == "status"
            ? WithStatusFrom(old, candidate)
            : WithoutStatusChanges(type, old, candidate);
        updated["apiVersion"] = type.ApiVersion(type.StorageVersion);
        updated["kind"] = type.Kind;
        Metadata.Of(updated)["resourceVersion"] = Metadata.ResourceVersion(old);

        var causes = MetadataValidation.Validate(type, updated);
        causes.AddRange(NewFinalizersWhileDeleting(old, updated));
        causes.AddRange(Admit(scope, updated, old));
        if (causes.Count > 0)
        {
            throw ApiErrors.Invalid(type, name, causes);
        }

        if (type.TracksGeneration)
        {
            var generation = Metadata.Generation(old) ?? 1;
            Metadata.Of(updated)["generation"] = SpecChanged(type, old, updated) ? generation + 1 : generation;
        }

        ResourceType? customType = null;
        if (type == BuiltInResources.CustomResourceDefinitions)
        {
            customType = CustomResourceDefinitions.ToResourceType(updated, _compiler);
        }

        if (JsonNode.DeepEquals(updated, old))
        {
            return new WriteResult(200, Present(type, scope.Version, old));
        }

        if (dryRun)
        {
            return new WriteResult(200, Present(type, scope.Version, updated));
        }

        if (Metadata.IsDeleting(updated) && Metadata.Finalizers(updated).Count == 0)
        {
            var final = Remove(type, updated);
            Sweep();
            return new WriteResult(200, Present(type, scope.Version, final));
        }

        Replace(type, old, updated);
        if (customType is not null)
        {
            _catalog.Register(customType);
        }

        Sweep();
        return new WriteResult(200, Present(type, scope.Version, updated));
    }

    /// <summary>Rejects a write that carries a resourceVersion other than the stored one with 409 Conflict.</summary>
    private static void CheckPrecondition(ResourceType type, JsonObject old, JsonObject candidate, bool requirePrecondition)
    {
        var sent = Metadata.ResourceVersion(candidate);
        var current = Metadata.ResourceVersion(old)!;
        if (string.IsNullOrEmpty(sent))
        {
            // Custom resources, unlike most built-in types, reject an update without a resourceVersion.
            if (requirePrecondition && type.IsCustom)
            {
                throw ApiErrors.Invalid(type, Metadata.Name(old), "FieldValueInvalid", "metadata.resourceVersion",
                    "Invalid value: 0: must be specified for an update; read the object and send its resourceVersion");
            }

            return;
        }

        if (sent != current)
        {
            throw ApiErrors.StaleResourceVersion(type, Metadata.Name(old), sent, current);
        }
    }

    /// <summary>A write to /status: the stored object with only the status taken from the request.</summary>
    private static JsonObject WithStatusFrom(JsonObject old, JsonObject candidate)
    {
        var updated = (JsonObject)old.DeepClone();
        if (candidate["status"] is { } status)
        {
            updated["status"] = status.DeepClone();
        }
        else
        {
            updated.Remove("status");
        }

        return updated;
    }

    /// <summary>A write to the main resource: the request's object with the server's metadata and, for types with a status subresource, the stored status.</summary>
    private static JsonObject WithoutStatusChanges(ResourceType type, JsonObject old, JsonObject candidate)
    {
        var updated = (JsonObject)candidate.DeepClone();
        if (type.HasStatusSubresource)
        {
            if (old["status"] is { } status)
            {
                updated["status"] = status.DeepClone();
            }
            else
            {
                updated.Remove("status");
            }
        }

        var oldMetadata = Metadata.Of(old);
        var newMetadata = Metadata.Of(updated);
        foreach (var field in ServerMetadataFields)
        {
            if (oldMetadata[field] is { } value)
            {
                newMetadata[field] = value.DeepClone();
            }
            else
            {
                newMetadata.Remove(field);
            }
        }

        newMetadata.Remove("managedFields");
        newMetadata.Remove("selfLink");
        BuiltInRules.BeforeUpdate(type, old, updated);
        return updated;
    }

    private static IEnumerable<StatusCause> NewFinalizersWhileDeleting(JsonObject old, JsonObject updated)
    {
        if (!Metadata.IsDeleting(old))
        {
            return [];
        }

        var added = Metadata.Finalizers(updated).Except(Metadata.Finalizers(old)).ToList();
        return added.Count == 0
            ? []
            : [new StatusCause("FieldValueForbidden",
                $"Forbidden: no new finalizers can be added while the object is being deleted; found new finalizers [{string.Join(", ", added)}]",
                "metadata.finalizers")];
    }

    /// <summary>Whether anything outside metadata changed. Status counts only where it is not a subresource of its own.</summary>
    private static bool SpecChanged(ResourceType type, JsonObject old, JsonObject updated)
    {
        var statusIsSeparate = type.HasStatusSubresource || !type.IsCustom;
        static JsonObject Content(JsonObject obj, bool dropStatus)
        {
            var copy = (JsonObject)obj.DeepClone();
            copy.Remove("metadata");
            if (dropStatus)
            {
                copy.Remove("status");
            }

            return copy;
        }

        return !JsonNode.DeepEquals(Content(old, statusIsSeparate), Content(updated, statusIsSeparate));
    }

    /// <summary>Prunes, defaults and validates a custom resource against its CRD schema.</summary>
    private static List<StatusCause> Admit(ResourceScope scope, JsonObject obj, JsonObject? old)
    {
        if (!scope.Type.IsCustom || !scope.Type.Schemas.TryGetValue(scope.Version, out var schema))
        {
            return [];
        }

        schema.PruneAndDefault(obj);
        return schema.Validate(obj, old);
    }

    private static void AssignName(ResourceType type, JsonObject obj)
    {
        var metadata = Metadata.Of(obj);
        if (Metadata.Name(obj).Length > 0)
        {
            return;
        }

        if (Metadata.StringValue(metadata["generateName"]) is not { Length: > 0 } prefix)
        {
            throw ApiErrors.Invalid(type, "", "FieldValueRequired", "metadata.name", "Required value: name or generateName is required");
        }

        // The API server appends five characters from an alphabet without vowels and look-alike digits.
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var suffix = string.Concat(Enumerable.Range(0, 5).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]));
        metadata["name"] = prefix + suffix;
    }

    private static void CheckTypeMeta(ResourceScope scope, JsonObject body)
    {
        var type = scope.Type;
        var apiVersion = Metadata.StringValue(body["apiVersion"]);
        var kind = Metadata.StringValue(body["kind"]);
        if (type.IsCustom && string.IsNullOrEmpty(kind))
        {
            throw ApiErrors.BadRequest($"the object has no kind; a custom resource must set kind: {type.Kind} and apiVersion: {type.ApiVersion(scope.Version)}");
        }

        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.ApiVersion(scope.Version))
        {
            throw ApiErrors.BadRequest(
                $"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion(scope.Version)})");
        }

        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiErrors.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }
    }

    private static void CheckNamespace(ResourceScope scope, JsonObject body)
    {
        var sent = Metadata.Namespace(body);
        if (!scope.Type.Namespaced)
        {
            Metadata.Of(body).Remove("namespace");
            return;
        }

        if (scope.Namespace is null)
        {
            throw ApiErrors.MethodNotAllowed(
                $"{scope.Type.QualifiedResource} are namespaced: send writes to a path with /namespaces/NAME/");
        }

        if (!string.IsNullOrEmpty(sent) && sent != scope.Namespace)
        {
            throw ApiErrors.BadRequest(
                $"the namespace of the provided object ({sent}) does not match the namespace sent on the request ({scope.Namespace})");
        }
    }

    private void EnsureNamespaceAcceptsContent(string namespaceName)
    {
        var ns = Find(BuiltInResources.Namespaces, null, namespaceName) ?? throw ApiErrors.NamespaceNotFound(namespaceName);
        if (Metadata.IsDeleting(ns))
        {
            throw ApiErrors.Forbidden(BuiltInResources.Namespaces, namespaceName,
                $"unable to create new content in namespace {namespaceName} because it is being terminated");
        }
    }
}
