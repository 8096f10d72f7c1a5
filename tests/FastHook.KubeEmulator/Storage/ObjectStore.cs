using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Catalog;
using FastHook.KubeEmulator.Http;
using FastHook.KubeEmulator.Selectors;
using FastHook.KubeEmulator.Validation;

namespace FastHook.KubeEmulator.Storage;

/// <summary>
/// The emulator's etcd: every object by type, namespace and name, one global resourceVersion counter, the
/// change history for watches, and the open watches. One lock serializes every read and write.
/// </summary>
/// <remarks>
/// Stored objects are never changed in place: a write stores a new node, so a watch event keeps the state
/// it was committed with.
/// </remarks>
internal sealed partial class ObjectStore
{
    private readonly Lock _lock = new();
    private readonly ResourceCatalog _catalog;
    private readonly CelRuleCompiler _compiler;
    private readonly TimeProvider _time;
    private readonly EventHistory _history;
    private readonly BuiltInRules _builtIns = new();
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string TypeKey, string ObjectKey)> _uids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _applyOwners = new(StringComparer.Ordinal);
    private readonly List<WatchSubscription> _watches = [];
    private long _revision;

    public ObjectStore(ResourceCatalog catalog, CelRuleCompiler compiler, TimeProvider time, int historySize)
    {
        _catalog = catalog;
        _compiler = compiler;
        _time = time;
        _history = new EventHistory(historySize);
    }

    public long CurrentRevision
    {
        get
        {
            lock (_lock)
            {
                return _revision;
            }
        }
    }

    public JsonObject Get(ResourceScope scope, string name)
    {
        lock (_lock)
        {
            var stored = Find(scope.Type, scope.Namespace, name) ?? throw ApiErrors.NotFound(scope.Type, name);
            return Present(scope.Type, scope.Version, stored);
        }
    }

    /// <summary>Lists matching objects in (namespace, name) order, a page at a time when <paramref name="limit"/> is set.</summary>
    public JsonObject List(ResourceScope scope, LabelSelector labels, FieldSelector fields, int? limit, string? continueToken)
    {
        lock (_lock)
        {
            var after = DecodeContinue(continueToken);
            var matching = Bucket(scope.Type)
                .Where(entry => after is null || string.CompareOrdinal(entry.Key, after) > 0)
                .Where(entry => scope.Namespace is null || Metadata.Namespace(entry.Value) == scope.Namespace)
                .Where(entry => labels.Matches(Metadata.Labels(entry.Value)) && fields.Matches(entry.Value))
                .ToList();

            var page = limit is > 0 ? matching.Take(limit.Value).ToList() : matching;
            var metadata = new JsonObject { ["resourceVersion"] = Revision(_revision) };
            if (page.Count < matching.Count)
            {
                metadata["continue"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Key));
                metadata["remainingItemCount"] = matching.Count - page.Count;
            }

            return new JsonObject
            {
                ["apiVersion"] = scope.Type.ApiVersion(scope.Version),
                ["kind"] = scope.Type.ListKind,
                ["metadata"] = metadata,
                ["items"] = new JsonArray([.. page.Select(entry => (JsonNode)Present(scope.Type, scope.Version, entry.Value))]),
            };
        }
    }

    /// <summary>Creates the namespaces every cluster starts with.</summary>
    public void Seed(IEnumerable<string> namespaceNames)
    {
        var scope = new ResourceScope(BuiltInResources.Namespaces, "v1", null);
        foreach (var name in namespaceNames)
        {
            Create(scope, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, dryRun: false);
        }
    }

    /// <summary>Copies a stored object for a response, labelled with the requested version.</summary>
    private static JsonObject Present(ResourceType type, string version, JsonObject stored)
    {
        var copy = new JsonObject
        {
            ["apiVersion"] = type.ApiVersion(version),
            ["kind"] = type.Kind,
        };
        foreach (var (key, value) in stored)
        {
            if (key is not ("apiVersion" or "kind"))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }

    private JsonObject? Find(ResourceType type, string? namespaceName, string name) =>
        Bucket(type).GetValueOrDefault(ObjectKey(type.Namespaced ? namespaceName : null, name));

    private SortedDictionary<string, JsonObject> Bucket(ResourceType type)
    {
        var key = TypeKey(type);
        if (!_objects.TryGetValue(key, out var bucket))
        {
            bucket = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[key] = bucket;
        }

        return bucket;
    }

    private static string TypeKey(ResourceType type) => type.Group + "/" + type.Plural;

    private static string ObjectKey(string? namespaceName, string name) => (namespaceName ?? "") + "/" + name;

    private static string ObjectKey(JsonObject obj) => ObjectKey(Metadata.Namespace(obj), Metadata.Name(obj));

    private static string Revision(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    private static string? DecodeContinue(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw ApiErrors.BadRequest($"continue token \"{token}\" is not one this server issued; list again without it");
        }
    }

    /// <summary>Stores a new object at the next revision and records an ADDED event.</summary>
    private void Insert(ResourceType type, JsonObject obj)
    {
        Metadata.Of(obj)["resourceVersion"] = Revision(++_revision);
        var key = ObjectKey(obj);
        Bucket(type)[key] = obj;
        _uids[Metadata.Uid(obj)!] = (TypeKey(type), key);
        Emit("ADDED", type, obj, null);
    }

    /// <summary>Stores a new state of an existing object at the next revision and records a MODIFIED event.</summary>
    private void Replace(ResourceType type, JsonObject old, JsonObject updated)
    {
        Metadata.Of(updated)["resourceVersion"] = Revision(++_revision);
        Bucket(type)[ObjectKey(updated)] = updated;
        Emit("MODIFIED", type, updated, old);
    }

    /// <summary>Deletes an object at the next revision and records a DELETED event carrying that revision.</summary>
    private JsonObject Remove(ResourceType type, JsonObject obj)
    {
        var final = (JsonObject)obj.DeepClone();
        Metadata.Of(final)["resourceVersion"] = Revision(++_revision);
        Bucket(type).Remove(ObjectKey(obj));
        if (Metadata.Uid(obj) is { } uid)
        {
            _uids.Remove(uid);
            _applyOwners.Remove(uid);
        }

        Emit("DELETED", type, final, null);

        if (type == BuiltInResources.CustomResourceDefinitions)
        {
            RemoveCustomType(final);
        }

        return final;
    }

    private void Emit(string eventType, ResourceType type, JsonObject obj, JsonObject? previous)
    {
        var change = new WatchEvent(_revision, eventType, TypeKey(type), obj, previous,
            Present(type, type.StorageVersion, obj).ToJsonString());
        _history.Add(change);

        foreach (var watch in _watches)
        {
            if (watch.TypeKey == change.TypeKey && !watch.Stalled && watch.Filter(change) is { } line)
            {
                watch.Lines.Writer.TryWrite(line);
            }
        }
    }

    private ResourceType? TypeOf(string typeKey)
    {
        var slash = typeKey.IndexOf('/', StringComparison.Ordinal);
        return _catalog.FindByGroupResource(typeKey[..slash], typeKey[(slash + 1)..]);
    }
}
