using FastHook.Gateway.Retry;

namespace FastHook.Gateway.Tests.Retry;

public sealed class RetryPolicyTests
{
    private static RetryPolicy Policy(bool exponential, TimeSpan initial, TimeSpan max) => new()
    {
        Exponential = exponential,
        MaxAttempts = 1000,
        InitialDelay = initial,
        MaxDelay = max,
        MaxRetryAfter = TimeSpan.FromMinutes(10),
        RetryOn = new HashSet<string>(),
    };

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(4, 40)]
    [InlineData(10, 2560)]
    [InlineData(11, 3600)]
    public void Exponential_DoublesUntilTheCap(int failedAttempt, int expectedSeconds)
    {
        var policy = Policy(exponential: true, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), policy.BaseDelay(failedAttempt));
    }

    [Theory]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void Exponential_LargeAttemptNumbers_DoNotOverflow(int failedAttempt)
    {
        var policy = Policy(exponential: true, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.FromHours(1), policy.BaseDelay(failedAttempt));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 15)]
    [InlineData(100, 500)]
    public void Linear_AddsTheInitialDelay(int failedAttempt, int expectedSeconds)
    {
        var policy = Policy(exponential: false, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), policy.BaseDelay(failedAttempt));
    }

    [Fact]
    public void Linear_LargeAttemptNumbers_StopAtTheCap()
    {
        var policy = Policy(exponential: false, TimeSpan.FromDays(1), TimeSpan.FromDays(7));

        Assert.Equal(TimeSpan.FromDays(7), policy.BaseDelay(int.MaxValue));
    }

    [Theory]
    [InlineData(0.0, 40_000)]
    [InlineData(0.5, 36_000)]
    [InlineData(1.0, 32_000)]
    public void Jitter_RemovesAtMostTwentyPercent(double random, int expectedMilliseconds)
    {
        var policy = Policy(exponential: true, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), policy.NextDelay(4, retryAfter: null, random));
    }

    [Fact]
    public void Linear_HasNoJitter()
    {
        var policy = Policy(exponential: false, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.FromSeconds(15), policy.NextDelay(3, retryAfter: null, random: 1.0));
    }

    [Fact]
    public void RetryAfter_ReplacesTheSchedule()
    {
        var policy = Policy(exponential: true, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.FromSeconds(42), policy.NextDelay(1, TimeSpan.FromSeconds(42), random: 0));
    }

    [Fact]
    public void RetryAfter_OfDays_IsCapped()
    {
        var policy = Policy(exponential: true, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.FromMinutes(10), policy.NextDelay(1, TimeSpan.FromDays(30), random: 0));
    }

    [Fact]
    public void RetryAfter_InThePast_MeansNow()
    {
        var policy = Policy(exponential: true, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.Zero, policy.NextDelay(1, TimeSpan.FromSeconds(-30), random: 0));
    }
}
