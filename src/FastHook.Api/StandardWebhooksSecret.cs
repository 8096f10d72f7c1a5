using System.Text;

namespace FastHook.Api;

/// <summary>
/// Decodes Standard Webhooks secrets: "whsec_" followed by base64, whose decoded bytes are the HMAC key.
/// </summary>
public static class StandardWebhooksSecret
{
    public const string Prefix = "whsec_";

    /// <summary>
    /// Decodes <paramref name="value"/> (UTF-8 text, with or without the "whsec_" prefix) into the key bytes.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> value, out byte[] key, out string problem)
    {
        key = [];
        problem = "";

        var text = Encoding.UTF8.GetString(value).Trim();
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            text = text[Prefix.Length..];
        }

        if (text.Length == 0)
        {
            problem = "nothing follows \"whsec_\": the secret is the base64 text after that prefix";
            return false;
        }

        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            problem = "the text after \"whsec_\" is not valid base64";
            return false;
        }

        if (key.Length < 16)
        {
            problem = $"the decoded key has {key.Length} bytes; use at least 16 (Standard Webhooks suggests 24 to 64)";
            return false;
        }

        return true;
    }
}
