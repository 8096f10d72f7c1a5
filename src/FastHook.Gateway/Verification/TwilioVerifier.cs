using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace FastHook.Gateway.Verification;

/// <summary>
/// Twilio's scheme: X-Twilio-Signature is the base64 HMAC-SHA1, keyed with the UTF-8 bytes of the account's auth
/// token. The signed text is the URL Twilio called, which is the configured public URL and the request's query
/// string. For a form body every parameter name and value follows, with nothing between them, sorted by name; the
/// distinct values of a repeated name are sorted too. For a JSON body Twilio signs the URL alone and puts the hex
/// SHA-256 of the body in the bodySHA256 query parameter, which must match. This follows getExpectedTwilioSignature
/// in the twilio npm package (6.2.0).
/// </summary>
internal sealed class TwilioVerifier(IReadOnlyList<byte[]> secrets, string publicUrl) : IRequestVerifier
{
    public const string SignatureHeader = "X-Twilio-Signature";

    private const string BodyHashParameter = "bodySHA256";

    public VerificationResult Verify(IncomingRequest request)
    {
        if (RequestHeaders.ReadSingle(request, SignatureHeader, VerificationFailures.MissingSignature, out var header) is { } failure)
        {
            return failure;
        }

        if (!SignatureEncoding.TryDecodeBase64(header, out var received))
        {
            return VerificationResult.Fail(VerificationFailures.MalformedSignature);
        }

        var url = publicUrl + request.Query.Value;
        var query = QueryHelpers.ParseQuery(request.Query.Value);
        var signed = new StringBuilder(url);
        if (query.TryGetValue(BodyHashParameter, out var bodyHash))
        {
            if (bodyHash.Count != 1 || !SignatureEncoding.TryDecodeHex(bodyHash[0], out var expectedBodyHash)
                || !SignatureEncoding.Matches(SHA256.HashData(request.Body.Span), expectedBodyHash))
            {
                return VerificationResult.Fail(VerificationFailures.BodyMismatch);
            }
        }
        else if (IsForm(request))
        {
            AppendSortedParameters(signed, Encoding.UTF8.GetString(request.Body.Span));
        }

        var data = Encoding.UTF8.GetBytes(signed.ToString());
        Span<byte> expected = stackalloc byte[HMACSHA1.HashSizeInBytes];
        var matched = false;
        foreach (var secret in secrets)
        {
            // Twilio defines the signature as HMAC-SHA1; HMAC keeps SHA-1's collision weakness from mattering here.
#pragma warning disable CA5350
            HMACSHA1.HashData(secret, data, expected);
#pragma warning restore CA5350
            matched |= SignatureEncoding.Matches(expected, received);
        }

        return matched ? VerificationResult.Valid : VerificationResult.Fail(VerificationFailures.SignatureMismatch);
    }

    private static bool IsForm(IncomingRequest request)
    {
        var contentType = request.Headers.ContentType;
        return contentType.Count == 1
            && (contentType[0] ?? "").StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Appends the form's parameters as Twilio signs them: sorted by name in ordinal (UTF-16) order, as JavaScript's
    /// sort orders them, then each distinct value of a name in the same order.
    /// </summary>
    private static void AppendSortedParameters(StringBuilder signed, string form)
    {
        var parameters = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var pair in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : WebUtility.UrlDecode(pair[(equals + 1)..]);
            if (!parameters.TryGetValue(name, out var values))
            {
                values = new SortedSet<string>(StringComparer.Ordinal);
                parameters[name] = values;
            }

            values.Add(value);
        }

        foreach (var (name, values) in parameters)
        {
            foreach (var value in values)
            {
                signed.Append(name).Append(value);
            }
        }
    }
}
