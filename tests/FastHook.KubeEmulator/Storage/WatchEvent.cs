using System.Text.Json.Nodes;

namespace FastHook.KubeEmulator.Storage;

/// <summary>
/// One committed change, kept in the history so watches can resume from a resourceVersion.
/// </summary>
/// <param name="Revision">The global resourceVersion the change was committed at.</param>
/// <param name="Type">ADDED, MODIFIED or DELETED.</param>
/// <param name="TypeKey">The "group/plural" of the changed object's type.</param>
/// <param name="Object">The object after the change; for DELETED, its last state.</param>
/// <param name="Previous">The object before a MODIFIED change, so selector watches can tell when it stopped matching.</param>
/// <param name="ObjectJson">The object serialized while the store lock was held, so watch writers never read shared nodes.</param>
internal sealed record WatchEvent(long Revision, string Type, string TypeKey, JsonObject Object, JsonObject? Previous, string ObjectJson);

/// <summary>
/// A line ready for one watch stream: the event type and the serialized object.
/// </summary>
internal sealed record WatchLine(string Type, string ObjectJson);
