namespace Expt.Suites;

/// <summary>Marks a string property as a <c>path</c> param (relative to the suite's directory).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class PathParamAttribute : Attribute
{
    /// <summary>The path must exist before anything runs (<c>must_exist: true</c>).</summary>
    public bool MustExist { get; init; }
}
