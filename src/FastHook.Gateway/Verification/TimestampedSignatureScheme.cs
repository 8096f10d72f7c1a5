namespace FastHook.Gateway.Verification;

/// <summary>
/// The layout of a timestamped signature header: its name, the character between name=value pairs, the
/// names of the timestamp and signature pairs, and the text between timestamp and body in the signed content.
/// </summary>
internal sealed record TimestampedSignatureScheme(string Header, char PairSeparator, string TimestampName, string SignatureName, string ContentSeparator)
{
    /// <summary>
    /// Stripe: Stripe-Signature is "t={unix seconds},v1={hex},v1={hex},..." and each v1 signs "{t}.{raw body}",
    /// keyed with the UTF-8 bytes of the whole endpoint secret, "whsec_" included. Stripe sends one v1 per active
    /// secret while a secret is rolled; v0 test signatures are ignored.
    /// </summary>
    public static TimestampedSignatureScheme Stripe { get; } = new("Stripe-Signature", ',', "t", "v1", ".");

    /// <summary>
    /// Paddle Billing: Paddle-Signature is "ts={unix seconds};h1={hex}" and h1 signs "{ts}:{raw body}", keyed with
    /// the UTF-8 bytes of the notification destination's secret key. Paddle sends one h1 per active secret while a
    /// secret is rotated.
    /// </summary>
    public static TimestampedSignatureScheme Paddle { get; } = new("Paddle-Signature", ';', "ts", "h1", ":");
}
