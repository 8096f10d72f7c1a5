using System.Security.Cryptography;
using System.Text;

namespace FastHook.Bench.Load;

/// <summary>
/// The request body every benchmark sends: JSON of an exact size that starts with the send time, so the receiver
/// can measure latency from the body alone. It is signed the way GitHub signs webhooks: X-Hub-Signature-256 is
/// "sha256=" followed by the hex HMAC-SHA256 of the raw body.
/// </summary>
internal static class WebhookPayload
{
    /// <summary>The bytes before the send time. The receiver parses the same prefix.</summary>
    public const string SendTimePrefix = "{\"sent_us\":\"";

    /// <summary>Digits of the send time, in microseconds since the Unix epoch; 16 digits last until the year 2286.</summary>
    public const int SendTimeDigits = 16;

    public const string SignatureHeader = "X-Hub-Signature-256";

    public const string SignaturePrefix = "sha256=";

    /// <summary>Length of the hex digest after <see cref="SignaturePrefix"/>.</summary>
    public const int SignatureHexLength = 64;

    /// <summary>The offset of the send time's digits in the body.</summary>
    public static int SendTimeOffset => SendTimePrefix.Length;

    /// <summary>
    /// Creates a body of exactly <paramref name="size"/> bytes, with a zero send time that
    /// <see cref="WriteSendTime"/> fills in. Throws when the size leaves no room for the JSON around the padding.
    /// </summary>
    public static byte[] CreateBody(int size)
    {
        const string Middle = "\",\"action\":\"opened\",\"repository\":{\"full_name\":\"fasthook/bench\"},\"padding\":\"";
        const string End = "\"}";
        var fixedLength = SendTimePrefix.Length + SendTimeDigits + Middle.Length + End.Length;
        if (size < fixedLength)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"Invalid body size {size}: a benchmark body needs at least {fixedLength} bytes; pass a larger --body-size.");
        }

        var text = new StringBuilder(size)
            .Append(SendTimePrefix)
            .Append('0', SendTimeDigits)
            .Append(Middle)
            .Append('x', size - fixedLength)
            .Append(End)
            .ToString();
        return Encoding.ASCII.GetBytes(text);
    }

    /// <summary>Writes <paramref name="unixMicroseconds"/> into the send-time digits of <paramref name="body"/>.</summary>
    public static void WriteSendTime(Span<byte> body, long unixMicroseconds)
    {
        var digits = body.Slice(SendTimeOffset, SendTimeDigits);
        var value = unixMicroseconds;
        for (var i = SendTimeDigits - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <summary>The current time in microseconds since the Unix epoch, the unit of the send time.</summary>
    public static long UnixMicrosecondsNow() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>Writes the lower-case hex HMAC-SHA256 of <paramref name="body"/> into <paramref name="destination"/> (64 bytes).</summary>
    public static void WriteSignatureHex(ReadOnlySpan<byte> key, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        Span<byte> digest = stackalloc byte[32];
        HMACSHA256.HashData(key, body, digest);
        for (var i = 0; i < digest.Length; i++)
        {
            destination[2 * i] = HexDigit(digest[i] >> 4);
            destination[(2 * i) + 1] = HexDigit(digest[i] & 0xF);
        }
    }

    /// <summary>Returns the whole header value, "sha256=" and the hex digest, for a fixed body.</summary>
    public static string SignatureHeaderValue(string secret, ReadOnlySpan<byte> body)
    {
        Span<byte> hex = stackalloc byte[SignatureHexLength];
        WriteSignatureHex(Encoding.UTF8.GetBytes(secret), body, hex);
        return SignaturePrefix + Encoding.ASCII.GetString(hex);
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);
}
