using System.Security.Cryptography;
using System.Text;

namespace FastHook.Gateway.Storage;

/// <summary>
/// Event ids: derived from the source, the request id and the connection, so routing the same request twice
/// yields the same id, and the id stays the same for every attempt and replay.
/// </summary>
public static class EventIds
{
    public const string Prefix = "evt_";

    public static string Create(string source, string requestId, string connection)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{source}\n{requestId}\n{connection}"), digest);
        return Prefix + Convert.ToHexStringLower(digest[..12]);
    }

    /// <summary>Returns true when <paramref name="id"/> has the form <see cref="Create"/> returns.</summary>
    public static bool IsValid(string id) =>
        id.Length == Prefix.Length + 24 && id.StartsWith(Prefix, StringComparison.Ordinal) && id.AsSpan(Prefix.Length).ContainsOnlyHexLower();

    private static bool ContainsOnlyHexLower(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
