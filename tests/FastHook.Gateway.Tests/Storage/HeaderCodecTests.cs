using System.Text;
using FastHook.Gateway.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FastHook.Gateway.Tests.Storage;

public sealed class HeaderCodecTests
{
    [Fact]
    public void Headers_RoundTripInOrder()
    {
        var headers = new HeaderDictionary
        {
            ["X-GitHub-Event"] = "push",
            ["Accept"] = new StringValues(["text/plain", "application/json"]),
            ["X-Empty"] = "",
            ["X-Colon"] = "a:b: c",
        };

        var decoded = HeaderCodec.Decode(HeaderCodec.Encode(headers));

        Assert.Equal(
            [new("X-GitHub-Event", "push"), new("Accept", "text/plain"), new("Accept", "application/json"), new("X-Empty", ""), new("X-Colon", "a:b: c")],
            decoded);
    }

    [Fact]
    public void DerivableHeaders_AreNotStored()
    {
        var headers = new HeaderDictionary { ["Content-Length"] = "12", ["Connection"] = "keep-alive", ["Keep-Alive"] = "timeout=5", ["Host"] = "hooks.example" };

        var stored = Encoding.UTF8.GetString(HeaderCodec.Encode(headers));

        Assert.Equal("Host:hooks.example", stored);
    }

    [Fact]
    public void LineBreakInValue_FallsBackToJson()
    {
        var headers = new HeaderDictionary { ["X-Multi"] = "one\ntwo", ["X-Other"] = "x" };

        var encoded = HeaderCodec.Encode(headers);

        Assert.Equal((byte)'[', encoded[0]);
        Assert.Equal([new("X-Multi", "one\ntwo"), new("X-Other", "x")], HeaderCodec.Decode(encoded));
    }

    [Fact]
    public void LegacyJsonHeaders_StillDecode()
    {
        var stored = Encoding.UTF8.GetBytes("[[\"Content-Type\",\"application/json\"],[\"X-Hub-Signature-256\",\"sha256=ab\"]]");

        var decoded = HeaderCodec.Decode(stored);

        Assert.Equal([new("Content-Type", "application/json"), new("X-Hub-Signature-256", "sha256=ab")], decoded);
    }

    [Fact]
    public void NoHeaders_DecodeEmpty()
    {
        Assert.Empty(HeaderCodec.Decode(HeaderCodec.Encode(new HeaderDictionary())));
        Assert.Empty(HeaderCodec.Decode(Encoding.UTF8.GetBytes("[]")));
    }
}
