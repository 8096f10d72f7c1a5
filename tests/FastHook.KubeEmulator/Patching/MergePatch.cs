using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Storage;

namespace FastHook.KubeEmulator.Patching;

/// <summary>
/// JSON merge patch (RFC 7386), and the emulator's stand-in for strategic merge patch.
/// </summary>
/// <remarks>
/// NOTE: strategic merge patch is applied as a merge patch that also honours "$patch": "replace" and
/// "$patch": "delete" and drops other "$" directives. Lists are replaced whole, where the API server merges
/// lists such as containers or conditions by their merge key.
/// </remarks>
internal static class MergePatch
{
    /// <summary>Applies the patch to <paramref name="target"/> in place.</summary>
    public static void Apply(JsonObject target, JsonObject patch, bool strategic)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (strategic && key.StartsWith('$'))
            {
                continue;
            }

            if (value is null)
            {
                target.Remove(key);
                continue;
            }

            if (value is not JsonObject patchObject)
            {
                target[key] = value.DeepClone();
                continue;
            }

            var directive = strategic ? Metadata.StringValue(patchObject["$patch"]) : null;
            if (directive == "delete")
            {
                target.Remove(key);
                continue;
            }

            if (target[key] is not JsonObject existing || directive == "replace")
            {
                existing = new JsonObject();
                target[key] = existing;
            }

            Apply(existing, patchObject, strategic);
        }
    }
}
