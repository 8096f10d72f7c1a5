namespace FastHook.Api.Tests;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("300ms", 300)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("168h", 604_800_000)]
    [InlineData("1.5s", 1_500)]
    public void TryParse_ReadsGoStyleDurations(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var duration, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("10", "not a duration")]
    [InlineData("5d", "unknown unit \"d\"")]
    [InlineData("abc", "not a duration")]
    [InlineData("1000000000h", "too long")]
    public void TryParse_RejectsWithAReason(string text, string reason)
    {
        Assert.False(Durations.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300, "300ms")]
    [InlineData(30_000, "30s")]
    [InlineData(300_000, "5m")]
    [InlineData(7_200_000, "2h")]
    public void Format_RoundTrips(long milliseconds, string text)
    {
        Assert.Equal(text, Durations.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
