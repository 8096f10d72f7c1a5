namespace FastHook.Api.Schema;

/// <summary>
/// Marks a string property as a duration in the form <see cref="Durations"/> parses ("300ms", "30s", "1h30m").
/// The schema gets <see cref="Pattern"/> and the CEL rule <see cref="MaximumRule"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CrdDurationAttribute : Attribute
{
    /// <summary>
    /// One or more number-and-unit parts, where a number is digits with an optional decimal point and the unit is
    /// ms, s, m or h, and at least one number is not zero, because the gateway rejects durations of zero.
    /// </summary>
    public const string Pattern =
        "^(" + Number + Unit + ")*" + NonZeroNumber + Unit + "(" + Number + Unit + ")*$";

    /// <summary>
    /// Rejects durations longer than the 100 years <see cref="Durations.TryParse"/> allows. CEL's
    /// <c>duration()</c> reads every string that <see cref="Pattern"/> matches, because both follow Go's format.
    /// </summary>
    public const string MaximumRule = "duration(self) <= duration('876000h')";

    public const string MaximumMessage = "must be at most 100 years (876000h)";

    private const string Number = @"([0-9]+(\.[0-9]*)?|\.[0-9]+)";
    private const string NonZeroNumber = @"(0*[1-9][0-9]*(\.[0-9]*)?|[0-9]*\.[0-9]*[1-9][0-9]*)";
    private const string Unit = "(ms|s|m|h)";
}
