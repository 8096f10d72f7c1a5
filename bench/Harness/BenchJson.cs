using System.Text.Json;
using System.Text.Json.Serialization;

namespace FastHook.Bench;

/// <summary>
/// The JSON settings of every file the harness writes and reads: camelCase, indented, numbers as numbers.
/// </summary>
internal static class BenchJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
