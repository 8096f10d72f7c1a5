using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FastHook.Bench.Load;

/// <summary>
/// One keep-alive HTTP/1.1 connection of the load generator, with its request prepared once as bytes. Per request
/// it only rewrites the delivery id, and, when stamping, the send time and the signature, in place.
/// It parses just enough of the response to find its status and end: Content-Length or chunked bodies.
/// </summary>
internal sealed class LoadConnection : IDisposable
{
    private const int ReceiveBufferSize = 16 * 1024;

    private readonly Uri _target;
    private readonly byte[] _request;
    private readonly int _bodyOffset;
    private readonly int _bodyLength;
    private readonly int _signatureOffset;
    private readonly int _deliveryOffset;
    private readonly byte[] _secret;
    private readonly byte[] _receive = new byte[ReceiveBufferSize];
    private Socket? _socket;
    private long _sequence;

    public LoadConnection(Uri target, byte[] body, string secret, int index)
    {
        _target = target;
        _secret = Encoding.UTF8.GetBytes(secret);

        // The signature and delivery id are written at fixed offsets, so their placeholders have their final lengths.
        const string SignaturePlaceholderMarker = "@@signature@@";
        const string DeliveryPlaceholderMarker = "@@delivery@@";
        var head = new StringBuilder()
            .Append("POST ").Append(target.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(target.Authority).Append("\r\n")
            .Append("User-Agent: GitHub-Hookshot/fasthook-bench\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append("X-GitHub-Event: pull_request\r\n")
            .Append("X-GitHub-Delivery: ").Append(DeliveryPlaceholderMarker).Append("\r\n")
            .Append(WebhookPayload.SignatureHeader).Append(": ").Append(WebhookPayload.SignaturePrefix).Append(SignaturePlaceholderMarker).Append("\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n")
            .Append("\r\n")
            .ToString();
        _deliveryOffset = head.IndexOf(DeliveryPlaceholderMarker, StringComparison.Ordinal);
        head = head.Replace(DeliveryPlaceholderMarker, new string('0', DeliveryIdLength), StringComparison.Ordinal);
        _signatureOffset = head.IndexOf(SignaturePlaceholderMarker, StringComparison.Ordinal);
        head = head.Replace(SignaturePlaceholderMarker, new string('0', WebhookPayload.SignatureHexLength), StringComparison.Ordinal);

        var headBytes = Encoding.ASCII.GetBytes(head);
        _request = new byte[headBytes.Length + body.Length];
        headBytes.CopyTo(_request, 0);
        body.CopyTo(_request, headBytes.Length);
        _bodyOffset = headBytes.Length;
        _bodyLength = body.Length;

        // Delivery ids are the connection index times 10^10 plus a sequence number, zero-padded: unique within a run.
        _sequence = (long)index * 10_000_000_000;
        WriteSignature();
    }

    /// <summary>Length of the X-GitHub-Delivery value; GitHub sends a 36-character GUID.</summary>
    private const int DeliveryIdLength = 36;

    /// <summary>Opens the connection when it is closed. Send and receive block for at most <paramref name="timeout"/>.</summary>
    public void EnsureOpen(TimeSpan timeout)
    {
        if (_socket is not null)
        {
            return;
        }

        var milliseconds = (int)timeout.TotalMilliseconds;
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = milliseconds,
            SendTimeout = milliseconds,
        };
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Parse(_target.Host), _target.Port));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
    }

    /// <summary>
    /// Sends one request and reads its response with blocking calls; returns the status code. Throws
    /// <see cref="SocketException"/> (TimedOut when the response took longer than the timeout) or
    /// <see cref="IOException"/> when the connection fails; the caller then calls <see cref="Close"/>.
    /// </summary>
    public int Send(bool stamp)
    {
        var socket = _socket ?? throw new InvalidOperationException("The connection is not open.");
        WriteDeliveryId();
        if (stamp)
        {
            WebhookPayload.WriteSendTime(_request.AsSpan(_bodyOffset, _bodyLength), WebhookPayload.UnixMicrosecondsNow());
            WriteSignature();
        }

        var sent = 0;
        while (sent < _request.Length)
        {
            sent += socket.Send(_request, sent, _request.Length - sent, SocketFlags.None);
        }

        return ReadResponse(socket);
    }

    /// <summary>Closes the socket; the next <see cref="EnsureOpen"/> opens a new one.</summary>
    public void Close()
    {
        var socket = Interlocked.Exchange(ref _socket, null);
        socket?.Dispose();
    }

    public void Dispose() => Close();

    private void WriteSignature() =>
        WebhookPayload.WriteSignatureHex(_secret, _request.AsSpan(_bodyOffset, _bodyLength), _request.AsSpan(_signatureOffset, WebhookPayload.SignatureHexLength));

    private void WriteDeliveryId()
    {
        var value = ++_sequence;
        var digits = _request.AsSpan(_deliveryOffset, DeliveryIdLength);
        for (var i = DeliveryIdLength - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private int ReadResponse(Socket socket)
    {
        var filled = 0;
        int headerEnd;
        while (true)
        {
            headerEnd = _receive.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (headerEnd >= 0)
            {
                break;
            }

            if (filled == _receive.Length)
            {
                throw new IOException($"The response headers from {_target} are longer than {_receive.Length} bytes.");
            }

            filled += ReceiveSome(socket, filled);
        }

        var head = ParseHead(_receive.AsSpan(0, headerEnd));
        var bodyStart = headerEnd + 4;
        var buffered = filled - bodyStart;
        if (head.ContentLength is { } length)
        {
            Skip(socket, length - buffered);
        }
        else if (head.Chunked)
        {
            SkipChunked(socket, bodyStart, filled);
        }

        if (head.Close)
        {
            Close();
        }

        return head.Status;
    }

    private ResponseHead ParseHead(ReadOnlySpan<byte> head)
    {
        long? contentLength = null;
        if (FindHeader(head, "content-length"u8) is { } lengthValue)
        {
            if (!Utf8Parser.TryParse(lengthValue, out long length, out _))
            {
                throw new IOException($"The response from {_target} has an invalid Content-Length.");
            }

            contentLength = length;
        }

        var chunked = FindHeader(head, "transfer-encoding"u8) is { } encoding && encoding.AsSpan().IndexOf("chunked"u8) >= 0;
        var close = FindHeader(head, "connection"u8) is { } connection && connection.AsSpan().IndexOf("close"u8) >= 0;
        return new ResponseHead(ParseStatus(head), contentLength, chunked, close);
    }

    private readonly record struct ResponseHead(int Status, long? ContentLength, bool Chunked, bool Close);

    private int ReceiveSome(Socket socket, int offset)
    {
        var read = socket.Receive(_receive, offset, _receive.Length - offset, SocketFlags.None);
        if (read == 0)
        {
            throw new IOException($"{_target} closed the connection before the response ended.");
        }

        return read;
    }

    private void Skip(Socket socket, long remaining)
    {
        while (remaining > 0)
        {
            remaining -= ReceiveSome(socket, 0);
        }
    }

    /// <summary>Reads a chunked body to its last chunk. Trailers are not expected and not supported.</summary>
    private void SkipChunked(Socket socket, int start, int filled)
    {
        // Compacts the buffered bytes to the front, then parses chunk-size lines and skips their data.
        Buffer.BlockCopy(_receive, start, _receive, 0, filled - start);
        filled -= start;
        var position = 0;
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _receive.AsSpan(position, filled - position).IndexOf("\r\n"u8)) < 0)
            {
                if (position > 0)
                {
                    Buffer.BlockCopy(_receive, position, _receive, 0, filled - position);
                    filled -= position;
                    position = 0;
                }

                filled += ReceiveSome(socket, filled);
            }

            var line = _receive.AsSpan(position, lineEnd);
            if (!Utf8Parser.TryParse(line, out long size, out _, 'x'))
            {
                throw new IOException($"The response from {_target} has an invalid chunk size.");
            }

            position += lineEnd + 2;

            // The chunk's data and its trailing CRLF; the last chunk is "0" followed by an empty line.
            var skip = size + 2;
            var available = filled - position;
            if (available >= skip)
            {
                position += (int)skip;
            }
            else
            {
                Skip(socket, skip - available);
                position = 0;
                filled = 0;
            }

            if (size == 0)
            {
                return;
            }
        }
    }

    private int ParseStatus(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200 OK": the code starts after the first space.
        var space = head.IndexOf((byte)' ');
        if (space < 0 || head.Length < space + 4 || !Utf8Parser.TryParse(head.Slice(space + 1, 3), out int status, out _))
        {
            throw new IOException($"The response from {_target} has an invalid status line.");
        }

        return status;
    }

    private static ReadOnlySpan<byte> FindHeaderValue(ReadOnlySpan<byte> line, ReadOnlySpan<byte> name)
    {
        if (line.Length <= name.Length || line[name.Length] != (byte)':')
        {
            return default;
        }

        for (var i = 0; i < name.Length; i++)
        {
            if ((line[i] | 0x20) != name[i])
            {
                return default;
            }
        }

        return line[(name.Length + 1)..].Trim((byte)' ');
    }

    /// <summary>Returns the value of header <paramref name="name"/> (lower case), or null when absent.</summary>
    private static byte[]? FindHeader(ReadOnlySpan<byte> head, ReadOnlySpan<byte> name)
    {
        var rest = head;
        while (rest.Length > 0)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            var value = FindHeaderValue(line, name);
            if (!value.IsEmpty)
            {
                return value.ToArray();
            }

            if (end < 0)
            {
                break;
            }

            rest = rest[(end + 2)..];
        }

        return null;
    }
}
