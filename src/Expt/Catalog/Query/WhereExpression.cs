namespace Expt.Catalog.Query;

/// <summary>A parsed <c>--where</c> expression.</summary>
public abstract record WhereExpression;

/// <summary>Both sides hold.</summary>
public sealed record WhereAnd(WhereExpression Left, WhereExpression Right) : WhereExpression;

/// <summary>Either side holds.</summary>
public sealed record WhereOr(WhereExpression Left, WhereExpression Right) : WhereExpression;

/// <summary>The operand does not hold.</summary>
public sealed record WhereNot(WhereExpression Operand) : WhereExpression;

/// <summary>The comparison operators.</summary>
public enum WhereOperator
{
    /// <summary><c>=</c> (or <c>==</c>).</summary>
    Equal,

    /// <summary><c>!=</c>.</summary>
    NotEqual,

    /// <summary><c>&lt;</c>.</summary>
    Less,

    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual,

    /// <summary><c>&gt;</c>.</summary>
    Greater,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual,
}

/// <summary>A value written in an expression: a number, or a string (quoted or bare).</summary>
/// <param name="Text">The text as written (without quotes).</param>
/// <param name="Number">The number, when it was written as one (bare and parseable, e.g. <c>1e-3</c>).</param>
/// <param name="Column">1-based column where it starts.</param>
public sealed record WhereLiteral(string Text, double? Number, int Column);

/// <summary><c>NAME OP VALUE</c>.</summary>
/// <param name="Name">The field, param or metric name as written (possibly <c>param.x</c> or <c>metric.x</c>).</param>
/// <param name="NameColumn">1-based column of the name.</param>
/// <param name="Operator">The operator.</param>
/// <param name="Value">The value compared with.</param>
public sealed record WhereComparison(string Name, int NameColumn, WhereOperator Operator, WhereLiteral Value) : WhereExpression;

/// <summary>A <c>--where</c> expression or sort key that cannot be used: says where and what was expected.</summary>
public sealed class WhereException : Exception
{
    /// <summary>Creates the error.</summary>
    public WhereException(string message, int column)
        : base(column > 0 ? $"column {column}: {message}" : message)
    {
        Column = column;
    }

    /// <summary>Creates the error.</summary>
    public WhereException()
    {
    }

    /// <summary>Creates the error.</summary>
    public WhereException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error.</summary>
    public WhereException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>1-based column of the problem (0 when not located).</summary>
    public int Column { get; }
}
