using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FastHook.Api.Schema;

namespace FastHook.Api.Tests.Crds;

/// <summary>
/// Checks that the schema of a duration (<see cref="CrdDurationAttribute.Pattern"/> and its CEL maximum) accepts
/// exactly the strings the gateway accepts: those <see cref="Durations.TryParse"/> reads as longer than zero.
/// </summary>
public sealed class DurationPatternTests
{
    private static readonly Regex Pattern = new(CrdDurationAttribute.Pattern);
    private static readonly CelRules Cel = new();

    [Theory]
    [InlineData("300ms", true)]
    [InlineData("30s", true)]
    [InlineData("1h30m", true)]
    [InlineData("1.5h", true)]
    [InlineData(".5s", true)]
    [InlineData("1.s", true)]
    [InlineData("0h1m", true)]
    [InlineData("876000h", true)]
    [InlineData("0s", false)]
    [InlineData("0.0s", false)]
    [InlineData("0h0m", false)]
    [InlineData("876000h1ms", false)]
    [InlineData("876001h", false)]
    [InlineData("10", false)]
    [InlineData("5d", false)]
    [InlineData("5S", false)]
    [InlineData("-5s", false)]
    [InlineData(" 5s", false)]
    [InlineData("5 s", false)]
    [InlineData("1.2.3s", false)]
    [InlineData(".s", false)]
    [InlineData("5ms5", false)]
    [InlineData("5mh", false)]
    [InlineData("", false)]
    public void Schema_MatchesGateway(string text, bool accepted)
    {
        Assert.Equal(accepted, GatewayAccepts(text));
        Assert.Equal(accepted, SchemaAccepts(text));
    }

    /// <summary>
    /// Compares the two on strings built from digits, '.', the unit letters and one letter no unit has, with a fixed
    /// seed so that a failure repeats.
    /// </summary>
    [Fact]
    public void Schema_MatchesGatewayOnGeneratedStrings()
    {
        const string Alphabet = "0019.smhx";
        var random = new Random(20240601);
        var disagreements = new List<string>();

        for (var sample = 0; sample < 20_000; sample++)
        {
            var length = random.Next(1, 9);
            var text = new string(Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
            if (GatewayAccepts(text) != SchemaAccepts(text))
            {
                disagreements.Add($"\"{text}\": gateway {GatewayAccepts(text)}, schema {SchemaAccepts(text)}");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Distinct().Take(20)));
    }

    private static bool GatewayAccepts(string text) => Durations.TryParse(text, out var duration, out _) && duration > TimeSpan.Zero;

    private static bool SchemaAccepts(string text) =>
        Pattern.IsMatch(text) && Cel.Check(CrdDurationAttribute.MaximumRule, JsonValue.Create(text), null) is null;
}
