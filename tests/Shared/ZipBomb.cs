using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Expt.Testing;

/// <summary>
/// Writes a small zip with one entry that expands to gigabytes, without compressing gigabytes: the deflate data of
/// one mebibyte of filler, compressed after filler (so its back-references only ever see filler), is repeated as
/// often as needed. The entry's declared size can be the truth or a lie, as in a hostile file.
/// </summary>
public static class ZipBomb
{
    private const int Chunk = 1024 * 1024;

    /// <summary>
    /// Writes <paramref name="path"/>: a zip whose entry <paramref name="name"/> is <paramref name="prefix"/>, then
    /// <paramref name="mebibytes"/> MiB of <paramref name="filler"/>, then <paramref name="suffix"/>. The zip declares
    /// the entry's true size, or <paramref name="declaredSize"/> when given. Returns the true size.
    /// </summary>
    public static long Write(string path, string name, string prefix, byte filler, int mebibytes, string suffix, uint? declaredSize = null)
    {
        var (deflated, size) = Deflate(Encoding.UTF8.GetBytes(prefix), filler, mebibytes, Encoding.UTF8.GetBytes(suffix));
        var fileName = Encoding.UTF8.GetBytes(name);
        var declared = declaredSize ?? (uint)size;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);

        // Local file header. The CRC is never checked: no reader under test reaches the entry's end.
        var local = new byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(local, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(4), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(8), 8);
        BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(18), (uint)deflated.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(22), declared);
        BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(26), (ushort)fileName.Length);
        file.Write(local);
        file.Write(fileName);
        file.Write(deflated);

        var centralAt = file.Position;
        var central = new byte[46];
        BinaryPrimitives.WriteUInt32LittleEndian(central, 0x02014b50);
        BinaryPrimitives.WriteUInt16LittleEndian(central.AsSpan(4), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(central.AsSpan(6), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(central.AsSpan(10), 8);
        BinaryPrimitives.WriteUInt32LittleEndian(central.AsSpan(20), (uint)deflated.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(central.AsSpan(24), declared);
        BinaryPrimitives.WriteUInt16LittleEndian(central.AsSpan(28), (ushort)fileName.Length);
        file.Write(central);
        file.Write(fileName);

        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)(46 + fileName.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), (uint)centralAt);
        file.Write(end);
        return size;
    }

    private static (byte[] Deflated, long Size) Deflate(byte[] prefix, byte filler, int mebibytes, byte[] suffix)
    {
        var chunk = new byte[Chunk];
        Array.Fill(chunk, filler);
        using var output = new MemoryStream();
        byte[] repeated;
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(prefix);
            deflate.Write(chunk);
            // Flush ends the deflate data written so far on a byte boundary, so the next chunk's bytes stand alone.
            deflate.Flush();
            var from = output.Position;
            deflate.Write(chunk);
            deflate.Flush();
            repeated = output.ToArray()[(int)from..];
            // The first chunk is already written; the second stands for every repetition after it.
            for (var i = 2; i < mebibytes; i++) output.Write(repeated);
            deflate.Write(suffix);
        }
        return (output.ToArray(), prefix.Length + ((long)Math.Max(mebibytes, 2) * Chunk) + suffix.Length);
    }
}
