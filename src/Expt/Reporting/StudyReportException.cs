namespace Expt.Reporting;

/// <summary>A study report cannot be made as asked: an unknown metric, param, stage or baseline.</summary>
public sealed class StudyReportException : Exception
{
    /// <summary>Creates the error.</summary>
    public StudyReportException()
    {
    }

    /// <summary>Creates the error.</summary>
    public StudyReportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error.</summary>
    public StudyReportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
