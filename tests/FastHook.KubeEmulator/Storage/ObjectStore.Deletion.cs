using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Catalog;
using FastHook.KubeEmulator.Http;
using FastHook.KubeEmulator.Selectors;

namespace FastHook.KubeEmulator.Storage;

/// <summary>
/// Deletion: finalizers and deletionTimestamp, propagation to dependents through ownerReferences, namespace
/// termination and the removal of a CRD's objects.
/// </summary>
/// <remarks>
/// The real garbage collector and namespace controller work asynchronously; the emulator finishes their work
/// before the write that triggered it returns. Code under test should still poll, as it must on a cluster.
/// </remarks>
internal sealed partial class ObjectStore
{
    private const string ForegroundFinalizer = "foregroundDeletion";

    /// <summary>Namespaces whose deletion the API server rejects.</summary>
    private static HashSet<string> ProtectedNamespaces { get; } = ["default", "kube-system", "kube-public"];

    public WriteResult Delete(ResourceScope scope, string name, DeleteRequest request, bool dryRun)
    {
        lock (_lock)
        {
            var type = scope.Type;
            var old = Find(type, scope.Namespace, name) ?? throw ApiErrors.NotFound(type, name);
            CheckDeletePreconditions(type, old, request);

            if (type == BuiltInResources.Namespaces && ProtectedNamespaces.Contains(name))
            {
                throw ApiErrors.Forbidden(type, name, "this namespace may not be deleted");
            }

            if (dryRun)
            {
                return new WriteResult(200, Present(type, scope.Version, old));
            }

            var (kept, final) = DeleteLocked(type, old, request.PropagationPolicy);
            Sweep();

            if (kept is not null)
            {
                return new WriteResult(200, Present(type, scope.Version, kept));
            }

            // Custom resources return the deleted object and built-in types a Status, as on the API server.
            return type.IsCustom
                ? new WriteResult(200, Present(type, scope.Version, final!))
                : new WriteResult(200, StatusObjects.Success(new StatusDetails(name, type.Group, type.Plural)));
        }
    }

    public JsonObject DeleteCollection(ResourceScope scope, LabelSelector labels, FieldSelector fields, DeleteRequest request, bool dryRun)
    {
        lock (_lock)
        {
            var type = scope.Type;
            var matching = Bucket(type).Values
                .Where(obj => scope.Namespace is null || Metadata.Namespace(obj) == scope.Namespace)
                .Where(obj => labels.Matches(Metadata.Labels(obj)) && fields.Matches(obj))
                .ToList();

            var items = new JsonArray();
            foreach (var obj in matching)
            {
                if (type == BuiltInResources.Namespaces && ProtectedNamespaces.Contains(Metadata.Name(obj)))
                {
                    continue;
                }

                if (dryRun)
                {
                    items.Add(Present(type, scope.Version, obj));
                    continue;
                }

                var (kept, final) = DeleteLocked(type, obj, request.PropagationPolicy);
                items.Add(Present(type, scope.Version, kept ?? final!));
            }

            Sweep();
            return new JsonObject
            {
                ["apiVersion"] = type.ApiVersion(scope.Version),
                ["kind"] = type.ListKind,
                ["metadata"] = new JsonObject { ["resourceVersion"] = Revision(_revision) },
                ["items"] = items,
            };
        }
    }

    private static void CheckDeletePreconditions(ResourceType type, JsonObject old, DeleteRequest request)
    {
        var name = Metadata.Name(old);
        if (request.PreconditionUid is { Length: > 0 } uid && uid != Metadata.Uid(old))
        {
            throw ApiErrors.Conflict(type, name,
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Metadata.Uid(old)}");
        }

        if (request.PreconditionResourceVersion is { Length: > 0 } resourceVersion && resourceVersion != Metadata.ResourceVersion(old))
        {
            throw ApiErrors.Conflict(type, name,
                $"Precondition failed: ResourceVersion in precondition: {resourceVersion}, ResourceVersion in object meta: {Metadata.ResourceVersion(old)}");
        }
    }

    /// <summary>
    /// Deletes an object now, or marks it with deletionTimestamp while finalizers remain. Returns the marked
    /// object as Kept in the second case, and the last state of the removed object as Final in the first.
    /// </summary>
    private (JsonObject? Kept, JsonObject? Final) DeleteLocked(ResourceType type, JsonObject old, string? propagationPolicy)
    {
        var uid = Metadata.Uid(old)!;
        var policy = propagationPolicy ?? "Background";
        if (policy == "Orphan")
        {
            OrphanDependents(uid);
        }

        var finalizers = Metadata.Finalizers(old);
        if (policy == "Foreground" && !finalizers.Contains(ForegroundFinalizer) && HasDependents(uid))
        {
            finalizers.Add(ForegroundFinalizer);
        }

        var isNamespace = type == BuiltInResources.Namespaces;
        if (finalizers.Count == 0 && !isNamespace)
        {
            return (null, Remove(type, old));
        }

        if (Metadata.IsDeleting(old) && finalizers.SequenceEqual(Metadata.Finalizers(old)))
        {
            return (old, null);
        }

        var updated = (JsonObject)old.DeepClone();
        var metadata = Metadata.Of(updated);
        if (!Metadata.IsDeleting(old))
        {
            metadata["deletionTimestamp"] = Metadata.FormatTime(_time.GetUtcNow());
            metadata["deletionGracePeriodSeconds"] = 0;

            // The API server bumps the generation when deletion starts, because the object's behaviour changes.
            if (type.TracksGeneration && Metadata.Generation(old) is { } generation)
            {
                metadata["generation"] = generation + 1;
            }
        }

        Metadata.SetFinalizers(updated, finalizers);
        if (isNamespace)
        {
            updated["status"] = new JsonObject { ["phase"] = "Terminating" };
        }

        Replace(type, old, updated);
        return (updated, null);
    }

    /// <summary>Runs the garbage collector and the namespace controller until neither has anything left to do.</summary>
    private void Sweep()
    {
        const int MaxPasses = 1000;
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var changed = FinishNamespaces() | CollectGarbage() | FinishForegroundDeletions();
            if (!changed)
            {
                return;
            }
        }
    }

    /// <summary>Deletes objects whose owners are all gone, and drops references to gone owners from objects that keep a live one.</summary>
    private bool CollectGarbage()
    {
        var changed = false;
        foreach (var (typeKey, bucket) in _objects.ToList())
        {
            if (TypeOf(typeKey) is not { } type)
            {
                continue;
            }

            foreach (var obj in bucket.Values.ToList())
            {
                var owners = Metadata.OwnerReferences(obj);
                if (owners.Count == 0 || Metadata.IsDeleting(obj))
                {
                    continue;
                }

                var live = owners.Where(o => IsLiveOwner(o.Uid, Metadata.Namespace(obj))).ToList();
                if (live.Count == 0)
                {
                    DeleteLocked(type, obj, "Background");
                    changed = true;
                }
                else if (live.Count < owners.Count)
                {
                    var updated = (JsonObject)obj.DeepClone();
                    Metadata.SetOwnerReferences(updated, live.Select(o => o.Reference));
                    Replace(type, obj, updated);
                    changed = true;
                }
            }
        }

        return changed;
    }

    /// <summary>Removes the foregroundDeletion finalizer from owners whose dependents are all gone.</summary>
    private bool FinishForegroundDeletions()
    {
        var changed = false;
        foreach (var (typeKey, bucket) in _objects.ToList())
        {
            if (TypeOf(typeKey) is not { } type)
            {
                continue;
            }

            foreach (var obj in bucket.Values.ToList())
            {
                var finalizers = Metadata.Finalizers(obj);
                if (!Metadata.IsDeleting(obj) || !finalizers.Contains(ForegroundFinalizer) || HasDependents(Metadata.Uid(obj)!))
                {
                    continue;
                }

                finalizers.Remove(ForegroundFinalizer);
                var updated = (JsonObject)obj.DeepClone();
                Metadata.SetFinalizers(updated, finalizers);
                if (finalizers.Count == 0)
                {
                    Remove(type, updated);
                }
                else
                {
                    Replace(type, obj, updated);
                }

                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Deletes the content of terminating namespaces, then each namespace once it is empty and has no finalizers.</summary>
    private bool FinishNamespaces()
    {
        var changed = false;
        foreach (var ns in Bucket(BuiltInResources.Namespaces).Values.Where(Metadata.IsDeleting).ToList())
        {
            var name = Metadata.Name(ns);
            var remaining = 0;
            foreach (var (typeKey, bucket) in _objects.ToList())
            {
                if (TypeOf(typeKey) is not { Namespaced: true } type)
                {
                    continue;
                }

                foreach (var obj in bucket.Values.Where(o => Metadata.Namespace(o) == name).ToList())
                {
                    remaining++;
                    if (!Metadata.IsDeleting(obj))
                    {
                        DeleteLocked(type, obj, "Background");
                        changed = true;
                    }
                }
            }

            if (remaining == 0 && Metadata.Finalizers(ns).Count == 0)
            {
                Remove(BuiltInResources.Namespaces, ns);
                changed = true;
            }
        }

        return changed;
    }

    private void OrphanDependents(string ownerUid)
    {
        foreach (var (typeKey, bucket) in _objects.ToList())
        {
            if (TypeOf(typeKey) is not { } type)
            {
                continue;
            }

            foreach (var obj in bucket.Values.ToList())
            {
                var owners = Metadata.OwnerReferences(obj);
                if (owners.All(o => o.Uid != ownerUid))
                {
                    continue;
                }

                var updated = (JsonObject)obj.DeepClone();
                Metadata.SetOwnerReferences(updated, owners.Where(o => o.Uid != ownerUid).Select(o => o.Reference));
                Replace(type, obj, updated);
            }
        }
    }

    /// <summary>
    /// Whether an owner reference points at an object that still exists, is not being deleted in the
    /// foreground, and may own the dependent: an owner must be cluster-scoped or in the dependent's namespace.
    /// </summary>
    private bool IsLiveOwner(string ownerUid, string? dependentNamespace)
    {
        if (!_uids.TryGetValue(ownerUid, out var location) || IsForegroundDeleting(ownerUid))
        {
            return false;
        }

        var ownerNamespace = location.ObjectKey[..location.ObjectKey.IndexOf('/', StringComparison.Ordinal)];
        return ownerNamespace.Length == 0 || ownerNamespace == dependentNamespace;
    }

    private bool HasDependents(string ownerUid) =>
        _objects.Values.Any(bucket => bucket.Values.Any(obj => Metadata.OwnerReferences(obj).Any(o => o.Uid == ownerUid)));

    private bool IsForegroundDeleting(string uid)
    {
        if (!_uids.TryGetValue(uid, out var location) || !_objects.TryGetValue(location.TypeKey, out var bucket) ||
            !bucket.TryGetValue(location.ObjectKey, out var owner))
        {
            return false;
        }

        return Metadata.IsDeleting(owner) && Metadata.Finalizers(owner).Contains(ForegroundFinalizer);
    }

    /// <summary>
    /// Stops serving a deleted CRD's type: its objects are removed with DELETED events and its watches end.
    /// </summary>
    /// <remarks>
    /// The API server deletes a CRD's objects one by one and waits for their finalizers, but the emulator
    /// removes them at once, finalizers or not.
    /// </remarks>
    private void RemoveCustomType(JsonObject crd)
    {
        var group = Metadata.StringValue(crd["spec"]?["group"]) ?? "";
        var plural = Metadata.StringValue(crd["spec"]?["names"]?["plural"]) ?? "";
        if (_catalog.FindByGroupResource(group, plural) is not { IsCustom: true } type)
        {
            return;
        }

        foreach (var obj in Bucket(type).Values.ToList())
        {
            Remove(type, obj);
        }

        _objects.Remove(TypeKey(type));
        foreach (var watch in _watches.Where(w => w.TypeKey == TypeKey(type)).ToList())
        {
            watch.Close();
            _watches.Remove(watch);
        }

        _catalog.Unregister(group, plural);
    }
}
