using FastHook.Operator.Controllers;

namespace FastHook.Operator.Tests.Controllers;

public sealed class WorkQueueTests
{
    [Fact]
    public async Task WorkQueue_AddTwiceQueuesOnce()
    {
        using var queue = new WorkQueue(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));

        queue.Add("a");
        queue.Add("a");

        Assert.Equal(1, queue.Depth);
        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task WorkQueue_AddDuringProcessingRequeues()
    {
        using var queue = new WorkQueue(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        queue.Add("a");
        var key = await queue.TakeAsync(CancellationToken.None);

        queue.Add("a");
        var depthWhileProcessing = queue.Depth;
        queue.Done(key!);

        Assert.Equal(0, depthWhileProcessing);
        Assert.Equal(1, queue.Depth);
    }

    [Fact]
    public void WorkQueue_BackoffDoublesAndCaps()
    {
        using var queue = new WorkQueue(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(350));

        var first = queue.AddRateLimited("a");
        var second = queue.AddRateLimited("a");
        var third = queue.AddRateLimited("a");
        queue.Forget("a");
        var afterForget = queue.AddRateLimited("a");

        Assert.Equal(TimeSpan.FromMilliseconds(100), first);
        Assert.Equal(TimeSpan.FromMilliseconds(200), second);
        Assert.Equal(TimeSpan.FromMilliseconds(350), third);
        Assert.Equal(TimeSpan.FromMilliseconds(100), afterForget);
    }

    [Fact]
    public void WorkQueue_BackoffCapsManyFailures()
    {
        using var queue = new WorkQueue(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));

        var delay = TimeSpan.Zero;
        for (var i = 0; i < 2000; i++)
        {
            delay = queue.AddRateLimited("a");
        }

        Assert.Equal(TimeSpan.FromMinutes(5), delay);
    }

    [Fact]
    public async Task WorkQueue_AddAfterDeliversLater()
    {
        using var queue = new WorkQueue(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));

        queue.AddAfter("a", TimeSpan.FromMilliseconds(200));
        var immediately = queue.Depth;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var key = await queue.TakeAsync(timeout.Token);

        Assert.Equal(0, immediately);
        Assert.Equal("a", key);
    }

    [Fact]
    public async Task WorkQueue_ShutDownReleasesTakers()
    {
        using var queue = new WorkQueue(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        var taker = queue.TakeAsync(CancellationToken.None);

        queue.ShutDown();

        Assert.Null(await taker.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
