namespace Expt.Internal;

/// <summary>
/// A read-only view of a stream that fails once more than a set number of bytes has come out of it. The bytes
/// actually read are counted, not a declared size: a zip entry's header can say 1 KB and expand to gigabytes.
/// </summary>
internal sealed class BoundedStream(Stream inner, long limit, Func<string> tooLarge) : Stream
{
    private long _read;

    /// <summary>How many bytes have been read so far.</summary>
    public long BytesRead => _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // One byte more than allowed is asked for, so a stream of exactly the limit is accepted and a longer one is not.
        var allowed = (int)Math.Min(buffer.Length, limit - _read + 1);
        var read = inner.Read(buffer[..allowed]);
        _read += read;
        if (_read > limit) throw new InvalidDataException(tooLarge());
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
