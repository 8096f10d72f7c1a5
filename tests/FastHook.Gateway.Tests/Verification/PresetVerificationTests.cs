using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FastHook.Gateway.Verification;

namespace FastHook.Gateway.Tests.Verification;

/// <summary>
/// The same attacks and mistakes against every provider that checks a secret: each must be rejected with a reason,
/// and every rotation state must accept exactly the secrets configured.
/// </summary>
public sealed class PresetVerificationTests
{
    private static DateTimeOffset Now => DateTimeOffset.FromUnixTimeSeconds(1_767_225_600);

    private static byte[] JsonBody => Encoding.UTF8.GetBytes("{\"id\": \"evt_1\", \"amount\": 2432232314, \"note\": \"caf\u00e9\"}");

    private static byte[] FormBody => Encoding.UTF8.GetBytes("CallSid=CA1234567890ABCDE&Digits=1234&From=%2B14158675309&To=%2B18005551212");

    public static TheoryData<string> AllPresets => [.. ProviderSigners.All.Select(signer => signer.Provider)];

    public static TheoryData<string> BodySigningPresets => [.. ProviderSigners.All.Where(signer => signer.SignsBody).Select(signer => signer.Provider)];

    public static TheoryData<string> JsonBodyPresets => [.. ProviderSigners.All.Where(signer => signer.SignsBody && signer.ContentType == "application/json").Select(signer => signer.Provider)];

    public static TheoryData<string> TimestampedPresets => [.. ProviderSigners.All.Where(signer => signer.Tolerance is not null).Select(signer => signer.Provider)];

    public static TheoryData<string> TimestampHeaderPresets => [.. ProviderSigners.All.Where(signer => signer.TimestampHeader is not null).Select(signer => signer.Provider)];

    [Theory]
    [MemberData(nameof(AllPresets))]
    public void Signed_IsAccepted(string provider)
    {
        var signer = Signer(provider);

        var result = Verify(signer, signer.Sign(signer.Secret, Body(signer), Now), signer.Secret);

        Assert.True(result.IsValid, result.Reason);
        Assert.Null(result.Handshake);
    }

    [Theory]
    [MemberData(nameof(BodySigningPresets))]
    public void ChangedByte_IsRejected(string provider)
    {
        var signer = Signer(provider);
        var headers = signer.Sign(signer.Secret, Body(signer), Now);
        var changed = Body(signer);
        changed[^2] ^= 0x01;

        var result = signer.Verifier(new FixedClock(Now), signer.Secret).Verify(signer.Request(changed, headers));

        Assert.False(result.IsValid);
        Assert.Equal(VerificationFailures.SignatureMismatch, result.Reason);
    }

    [Theory]
    [MemberData(nameof(JsonBodyPresets))]
    public void ReserializedJson_IsRejected(string provider)
    {
        var signer = Signer(provider);
        var headers = signer.Sign(signer.Secret, JsonBody, Now);
        var reserialized = Encoding.UTF8.GetBytes(JsonNode.Parse(JsonBody)!.ToJsonString());
        Assert.NotEqual(JsonBody, reserialized);

        var result = signer.Verifier(new FixedClock(Now), signer.Secret).Verify(signer.Request(reserialized, headers));

        Assert.False(result.IsValid);
        Assert.Equal(VerificationFailures.SignatureMismatch, result.Reason);
    }

    [Theory]
    [MemberData(nameof(TimestampedPresets))]
    public void OldTimestamp_IsRejected(string provider)
    {
        var signer = Signer(provider);
        var signedAt = Now - signer.Tolerance!.Value - TimeSpan.FromSeconds(1);

        var result = Verify(signer, signer.Sign(signer.Secret, Body(signer), signedAt), signer.Secret);

        Assert.False(result.IsValid);
        Assert.Equal(VerificationFailures.TimestampOutOfTolerance, result.Reason);
    }

    [Theory]
    [MemberData(nameof(TimestampedPresets))]
    public void FutureTimestamp_IsRejected(string provider)
    {
        var signer = Signer(provider);
        var signedAt = Now + signer.Tolerance!.Value + TimeSpan.FromSeconds(1);

        var result = Verify(signer, signer.Sign(signer.Secret, Body(signer), signedAt), signer.Secret);

        Assert.False(result.IsValid);
        Assert.Equal(VerificationFailures.TimestampOutOfTolerance, result.Reason);
    }

    [Theory]
    [MemberData(nameof(TimestampedPresets))]
    public void TimestampAtToleranceEdges_IsAccepted(string provider)
    {
        var signer = Signer(provider);
        var tolerance = signer.Tolerance!.Value;

        var past = Verify(signer, signer.Sign(signer.Secret, Body(signer), Now - tolerance), signer.Secret);
        var future = Verify(signer, signer.Sign(signer.Secret, Body(signer), Now + tolerance), signer.Secret);

        Assert.True(past.IsValid, past.Reason);
        Assert.True(future.IsValid, future.Reason);
    }

    [Theory]
    [MemberData(nameof(TimestampHeaderPresets))]
    public void MissingTimestampHeader_IsRejected(string provider)
    {
        var signer = Signer(provider);
        var headers = signer.Sign(signer.Secret, Body(signer), Now);
        headers.Remove(signer.TimestampHeader!);

        var result = Verify(signer, headers, signer.Secret);

        Assert.False(result.IsValid);
        Assert.Equal(VerificationFailures.MissingTimestamp, result.Reason);
    }

    [Theory]
    [MemberData(nameof(AllPresets))]
    public void MissingSignatureHeader_IsRejected(string provider)
    {
        var signer = Signer(provider);
        var headers = signer.Sign(signer.Secret, Body(signer), Now);
        headers.Remove(signer.SignatureHeader);

        var result = Verify(signer, headers, signer.Secret);

        Assert.False(result.IsValid);
        Assert.Contains(result.Reason, new[] { VerificationFailures.MissingSignature, VerificationFailures.MissingCredentials });
    }

    [Theory]
    [MemberData(nameof(AllPresets))]
    public void DuplicatedSignatureHeader_IsRejected(string provider)
    {
        var signer = Signer(provider);
        var headers = signer.Sign(signer.Secret, Body(signer), Now);
        var withCopy = headers.Append(new KeyValuePair<string, string>(signer.SignatureHeader, headers[signer.SignatureHeader]));

        var result = signer.Verifier(new FixedClock(Now), signer.Secret).Verify(signer.Request(Body(signer), withCopy));

        Assert.False(result.IsValid);
        Assert.Contains(result.Reason, new[] { VerificationFailures.MalformedSignature, VerificationFailures.InvalidCredentials });
    }

    [Theory]
    [MemberData(nameof(AllPresets))]
    public void TruncatedSignature_IsRejected(string provider)
    {
        var signer = Signer(provider);
        var headers = signer.Sign(signer.Secret, Body(signer), Now);
        headers[signer.SignatureHeader] = headers[signer.SignatureHeader][..^2];

        var result = Verify(signer, headers, signer.Secret);

        Assert.False(result.IsValid);
        Assert.Contains(result.Reason, new[] { VerificationFailures.SignatureMismatch, VerificationFailures.MalformedSignature, VerificationFailures.InvalidCredentials });
    }

    [Theory]
    [MemberData(nameof(AllPresets))]
    public void PrefixOnlySignature_IsRejected(string provider)
    {
        var signer = Signer(provider);
        var headers = signer.Sign(signer.Secret, Body(signer), Now);
        headers[signer.SignatureHeader] = string.Format(CultureInfo.InvariantCulture, signer.PrefixOnlySignature, ProviderSigners.Seconds(Now));

        var result = Verify(signer, headers, signer.Secret);

        Assert.False(result.IsValid);
        Assert.NotEqual("valid", result.Reason);
    }

    [Theory]
    [MemberData(nameof(AllPresets))]
    public void EmptySignature_IsRejected(string provider)
    {
        var signer = Signer(provider);
        var headers = signer.Sign(signer.Secret, Body(signer), Now);
        headers[signer.SignatureHeader] = "";

        var result = Verify(signer, headers, signer.Secret);

        Assert.False(result.IsValid);
        Assert.NotEqual("valid", result.Reason);
    }

    [Theory]
    [MemberData(nameof(AllPresets))]
    public void WrongSecret_IsRejected(string provider)
    {
        var signer = Signer(provider);

        var result = Verify(signer, signer.Sign(signer.OtherSecret, Body(signer), Now), signer.Secret);

        Assert.False(result.IsValid);
        Assert.Contains(result.Reason, new[] { VerificationFailures.SignatureMismatch, VerificationFailures.InvalidCredentials });
    }

    [Theory]
    [MemberData(nameof(AllPresets))]
    public void RotatedSecrets_BothAccepted(string provider)
    {
        var signer = Signer(provider);
        var byOld = signer.Sign(signer.Secret, Body(signer), Now);
        var byNew = signer.Sign(signer.OtherSecret, Body(signer), Now);

        var old = Verify(signer, byOld, signer.Secret, signer.OtherSecret);
        var current = Verify(signer, byNew, signer.Secret, signer.OtherSecret);
        var afterRotation = Verify(signer, byOld, signer.OtherSecret);

        Assert.True(old.IsValid, old.Reason);
        Assert.True(current.IsValid, current.Reason);
        Assert.False(afterRotation.IsValid);
    }

    [Fact]
    public void Stripe_OneOfSeveralV1Matches()
    {
        var signer = ProviderSigners.Stripe;
        var byOld = signer.Sign(signer.Secret, JsonBody, Now)["Stripe-Signature"];
        var byNew = signer.Sign(signer.OtherSecret, JsonBody, Now)["Stripe-Signature"];
        var header = byOld + "," + byNew[byNew.IndexOf("v1=", StringComparison.Ordinal)..] + ",v0=00ff";

        var result = Verify(signer, new() { ["Stripe-Signature"] = header }, signer.OtherSecret);

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void Stripe_SecretWithoutPrefixIsNotTheKey()
    {
        var signer = ProviderSigners.Stripe;
        var signedWithDecodedPart = signer.Sign(signer.Secret["whsec_".Length..], JsonBody, Now);

        var result = Verify(signer, signedWithDecodedPart, signer.Secret);

        Assert.False(result.IsValid);
        Assert.Equal(VerificationFailures.SignatureMismatch, result.Reason);
    }

    [Fact]
    public void Paddle_OneOfSeveralH1Matches()
    {
        var signer = ProviderSigners.Paddle;
        var byOld = signer.Sign(signer.Secret, JsonBody, Now)["Paddle-Signature"];
        var byNew = signer.Sign(signer.OtherSecret, JsonBody, Now)["Paddle-Signature"];
        var header = byOld + ";" + byNew[byNew.IndexOf("h1=", StringComparison.Ordinal)..];

        var result = Verify(signer, new() { ["Paddle-Signature"] = header }, signer.OtherSecret);

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void StandardWebhooks_OneOfSeveralSignaturesMatches()
    {
        var signer = ProviderSigners.StandardWebhooks;
        var byOld = signer.Sign(signer.Secret, JsonBody, Now);
        var byNew = signer.Sign(signer.OtherSecret, JsonBody, Now);
        byOld["webhook-signature"] = "v1a,bm90IGEgcmVhbCBzaWduYXR1cmU= " + byOld["webhook-signature"] + " " + byNew["webhook-signature"];

        var result = Verify(signer, byOld, signer.OtherSecret);

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void StandardWebhooks_SvixHeadersAccepted()
    {
        var signer = ProviderSigners.StandardWebhooks;
        var headers = signer.Sign(signer.Secret, JsonBody, Now)
            .ToDictionary(header => header.Key.Replace("webhook-", "svix-", StringComparison.Ordinal), header => header.Value);

        var result = Verify(signer, headers, signer.Secret);

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void StandardWebhooks_MixedHeaderFamiliesRejected()
    {
        var signer = ProviderSigners.StandardWebhooks;
        var headers = signer.Sign(signer.Secret, JsonBody, Now);
        headers["svix-id"] = headers["webhook-id"];
        headers.Remove("webhook-id");

        var result = Verify(signer, headers, signer.Secret);

        Assert.False(result.IsValid);
        Assert.Equal(VerificationFailures.MissingSignature, result.Reason);
    }

    [Fact]
    public void Twilio_ReorderedFormParametersAccepted()
    {
        // Twilio signs the sorted parameters, not the body bytes, so the order of the form fields does not matter.
        var signer = ProviderSigners.Twilio;
        var headers = signer.Sign(signer.Secret, FormBody, Now);
        var reordered = Encoding.UTF8.GetBytes("To=%2B18005551212&From=%2B14158675309&Digits=1234&CallSid=CA1234567890ABCDE");

        var result = signer.Verifier(new FixedClock(Now), signer.Secret).Verify(signer.Request(reordered, headers));

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void Twilio_ChangedQueryRejected()
    {
        var signer = ProviderSigners.Twilio;
        var headers = signer.Sign(signer.Secret, FormBody, Now);

        var result = (signer with { Query = "?source=other" }).Verifier(new FixedClock(Now), signer.Secret)
            .Verify((signer with { Query = "?source=other" }).Request(FormBody, headers));

        Assert.False(result.IsValid);
        Assert.Equal(VerificationFailures.SignatureMismatch, result.Reason);
    }

    [Fact]
    public void Twilio_JsonBodyCheckedByBodySha256()
    {
        var signer = ProviderSigners.Twilio with { ContentType = "application/json" };
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(JsonBody));
        var query = "?bodySHA256=" + hash;
        var json = signer with { Query = query };
        var headers = new Dictionary<string, string> { ["X-Twilio-Signature"] = ProviderSigners.TwilioSignature(signer.Secret, ProviderSigners.TwilioPublicUrl + query, "") };
        var reserialized = Encoding.UTF8.GetBytes(JsonNode.Parse(JsonBody)!.ToJsonString());

        var accepted = json.Verifier(new FixedClock(Now), signer.Secret).Verify(json.Request(JsonBody, headers));
        var rejected = json.Verifier(new FixedClock(Now), signer.Secret).Verify(json.Request(reserialized, headers));

        Assert.True(accepted.IsValid, accepted.Reason);
        Assert.False(rejected.IsValid);
        Assert.Equal(VerificationFailures.BodyMismatch, rejected.Reason);
    }

    private static ProviderSigner Signer(string provider) => ProviderSigners.All.Single(signer => signer.Provider == provider);

    private static byte[] Body(ProviderSigner signer) => signer.ContentType == "application/json" ? [.. JsonBody] : [.. FormBody];

    private static VerificationResult Verify(ProviderSigner signer, Dictionary<string, string> headers, params string[] secrets) =>
        signer.Verifier(new FixedClock(Now), secrets).Verify(signer.Request(Body(signer), headers));
}
