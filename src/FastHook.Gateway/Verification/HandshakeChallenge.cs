using System.Text.Json;

namespace FastHook.Gateway.Verification;

/// <summary>
/// Reads the "challenge" string of a provider's URL check from a JSON body.
/// </summary>
internal static class HandshakeChallenge
{
    /// <summary>The longest challenge echoed back; providers send a few dozen characters.</summary>
    private const int MaxChallengeLength = 1024;

    /// <summary>
    /// Returns true with the top-level "challenge" string when the body is a JSON object that has one and, when
    /// <paramref name="typeField"/> is given, whose <paramref name="typeField"/> equals <paramref name="typeValue"/>.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> body, string? typeField, string? typeValue, out string challenge)
    {
        challenge = "";
        if (body.IsEmpty || (typeValue is not null && body.IndexOf(System.Text.Encoding.UTF8.GetBytes(typeValue)) < 0))
        {
            return false;
        }

        string? type = null;
        string? found = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && name == "challenge")
                {
                    found = reader.GetString();
                }
                else if (reader.TokenType == JsonTokenType.String && typeField is not null && name == typeField)
                {
                    type = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (found is null || found.Length > MaxChallengeLength || (typeField is not null && type != typeValue))
        {
            return false;
        }

        challenge = found;
        return true;
    }
}
