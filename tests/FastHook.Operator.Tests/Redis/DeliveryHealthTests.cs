using FastHook.Operator.Redis;

namespace FastHook.Operator.Tests.Redis;

public sealed class DeliveryHealthTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Evaluate_NoAttemptsIsUnknown()
    {
        var health = DeliveryHealth.Evaluate([]);

        Assert.Equal(DeliveryState.NoAttempts, health.State);
        Assert.Null(health.Latest);
    }

    [Fact]
    public void Evaluate_AllFailedInWindowIsFailing()
    {
        var health = DeliveryHealth.Evaluate([Failed(0, 500), Failed(30, 503), Failed(60, null, "connection refused")]);

        Assert.Equal(DeliveryState.Failing, health.State);
        Assert.Equal(3, health.FailedInWindow);
        Assert.Equal(3, health.AttemptsInWindow);
        Assert.Equal(Start.AddSeconds(60), health.Latest!.Value.StartedAt);
        Assert.Equal("connection refused", health.Latest.Value.Error);
    }

    [Fact]
    public void Evaluate_OneSuccessInWindowIsSucceeding()
    {
        var health = DeliveryHealth.Evaluate([Failed(0, 500), Succeeded(30), Failed(60, 500)]);

        Assert.Equal(DeliveryState.Succeeding, health.State);
        Assert.Equal(2, health.FailedInWindow);
    }

    [Fact]
    public void Evaluate_SuccessBeforeWindowIsIgnored()
    {
        var afterWindow = (int)DeliveryHealth.Window.TotalSeconds + 1;

        var health = DeliveryHealth.Evaluate([Succeeded(0), Failed(afterWindow, 502), Failed(afterWindow + 10, 502)]);

        Assert.Equal(DeliveryState.Failing, health.State);
        Assert.Equal(2, health.AttemptsInWindow);
    }

    [Fact]
    public void Evaluate_WindowEndsAtLatestAttempt()
    {
        // Two failed retries an hour apart: the destination is still failing between them, however late it is read.
        var health = DeliveryHealth.Evaluate([Succeeded(-7200), Failed(-3600, 500), Failed(0, 500)]);

        Assert.Equal(DeliveryState.Failing, health.State);
        Assert.Equal(1, health.AttemptsInWindow);
    }

    [Fact]
    public void Evaluate_OrderOfInputDoesNotMatter()
    {
        var health = DeliveryHealth.Evaluate([Succeeded(60), Failed(0, 500)]);

        Assert.Equal(DeliveryState.Succeeding, health.State);
        Assert.True(health.Latest!.Value.Succeeded);
    }

    private static DeliveryAttempt Failed(int seconds, int? status, string? error = null) =>
        new("default/route", Start.AddSeconds(seconds), false, status, error);

    private static DeliveryAttempt Succeeded(int seconds) =>
        new("default/route", Start.AddSeconds(seconds), true, 200, null);
}
