using System.Text;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Deduplication;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Verification;
using Microsoft.AspNetCore.Http;

namespace FastHook.Gateway.Tests.Deduplication;

/// <summary>
/// Where a delivery id is read from, and when a request has none and is captured as usual.
/// </summary>
public sealed class DeduplicationPolicyTests
{
    private static SourceKeys Keys => new RedisKeys("fh").Source("default/hook");

    [Fact]
    public void Header_KeyUnderSourceHashTag()
    {
        var policy = DeduplicationPolicy.Create(new DeduplicationSpec { Header = "webhook-id" })!;

        var key = policy.KeyFor(Request("{}", ("webhook-id", "msg_1")), Keys);

        Assert.NotNull(key);
        Assert.StartsWith("fh:{s:default/hook}:dedup:", key.Value.Key.ToString(), StringComparison.Ordinal);
        Assert.Equal(DeduplicationPolicy.DefaultWindow, key.Value.Window);
    }

    [Fact]
    public void SameIdDifferentBody_SameKey()
    {
        var policy = DeduplicationPolicy.Create(new DeduplicationSpec { Header = "X-Shopify-Webhook-Id", Window = "1h" })!;

        var first = policy.KeyFor(Request("{\"a\":1}", ("X-Shopify-Webhook-Id", "b54557e4")), Keys);
        var second = policy.KeyFor(Request("{\"a\":2}", ("X-Shopify-Webhook-Id", "b54557e4")), Keys);

        Assert.Equal(first, second);
        Assert.Equal(TimeSpan.FromHours(1), first!.Value.Window);
    }

    [Fact]
    public void RepeatedHeader_NoKey()
    {
        var policy = DeduplicationPolicy.Create(new DeduplicationSpec { Header = "webhook-id" })!;

        var key = policy.KeyFor(Request("{}", ("webhook-id", "msg_1"), ("webhook-id", "msg_2")), Keys);

        Assert.Null(key);
    }

    [Theory]
    [InlineData("{\"event\":{\"id\":\"evt_1\"}}", true)]
    [InlineData("{\"event\":{\"id\":42}}", true)]
    [InlineData("{\"event\":{\"id\":\"\"}}", false)]
    [InlineData("{\"event\":{\"id\":null}}", false)]
    [InlineData("{\"event\":{\"id\":[\"evt_1\"]}}", false)]
    [InlineData("{\"event\":\"evt_1\"}", false)]
    [InlineData("{\"other\":{\"id\":\"evt_1\"}}", false)]
    [InlineData("[{\"event\":{\"id\":\"evt_1\"}}]", false)]
    [InlineData("event.id=evt_1", false)]
    [InlineData("", false)]
    public void JsonField_KeyOnlyForStringOrNumber(string body, bool hasKey)
    {
        var policy = DeduplicationPolicy.Create(new DeduplicationSpec { JsonField = "event.id" })!;

        var key = policy.KeyFor(Request(body), Keys);

        Assert.Equal(hasKey, key is not null);
    }

    [Fact]
    public void JsonFieldAfterSkippedSiblings_Found()
    {
        var policy = DeduplicationPolicy.Create(new DeduplicationSpec { JsonField = "event.id" })!;
        var expected = policy.KeyFor(Request("{\"event\":{\"id\":\"evt_1\"}}"), Keys);

        var key = policy.KeyFor(Request("{\"data\":{\"id\":\"x\",\"list\":[1,{\"id\":2}]},\"event\":{\"type\":\"t\",\"id\":\"evt_1\"}}"), Keys);

        Assert.Equal(expected, key);
    }

    [Fact]
    public void NoSpec_NoPolicy()
    {
        Assert.Null(DeduplicationPolicy.Create(null));
    }

    private static IncomingRequest Request(string body, params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        return new IncomingRequest("POST", "/e/default/hook", QueryString.Empty, dictionary, Encoding.UTF8.GetBytes(body), DateTimeOffset.UnixEpoch);
    }
}
