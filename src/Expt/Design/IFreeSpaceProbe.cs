namespace Expt.Design;

/// <summary>Free disk space where results will be written; a seam so a short disk can be tested.</summary>
public interface IFreeSpaceProbe
{
    /// <summary>Bytes available to this user on the file system holding <paramref name="path"/> (or its nearest existing parent), or null when unknown.</summary>
    long? FreeBytes(string path);
}
