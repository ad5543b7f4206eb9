using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Expt.Catalog.Query;

/// <summary>
/// Parses <c>--where</c> expressions:
/// <code>
/// expr       := or
/// or         := and ("or" and)*
/// and        := unary ("and" unary)*
/// unary      := "not" unary | "(" expr ")" | comparison
/// comparison := NAME ("=" | "==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") VALUE
/// VALUE      := NUMBER | 'quoted' | "quoted" | bare-word
/// </code>
/// Keywords are case-insensitive. A bare word that is a finite decimal numeral (<c>3</c>, <c>-0.5</c>, <c>1e-3</c>) is a
/// number; any other bare word (<c>llama-1b</c>, <c>2026-01-01</c>, <c>succeeded</c>, and also <c>nan</c>, <c>inf</c>,
/// <c>infinity</c> or <c>1e999</c>) is a string.
/// </summary>
public sealed partial class WhereParser
{
    /// <summary>How deeply parentheses and <c>not</c> may nest.</summary>
    public const int MaxDepth = 64;

    /// <summary>How many comparisons one expression may hold.</summary>
    public const int MaxComparisons = 256;

    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _at;
    private int _depth;
    private int _comparisons;

    // Digits with an optional fraction and exponent: what double.TryParse alone would also accept as NaN, Infinity or ∞
    // (which no index can compare, and SQLite cannot even bind) is not a number here.
    [GeneratedRegex(@"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Numeral();

    private WhereParser(string text)
    {
        _text = text;
        _tokens = Lex(text);
    }

    /// <summary>Parses an expression; throws <see cref="WhereException"/> naming the column and what was expected.</summary>
    public static WhereExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new WhereParser(text);
        if (parser.Peek.Kind == TokenKind.End) throw new WhereException("expected a comparison such as 'lr < 1e-3', found an empty expression", 1);
        var expression = parser.ParseOr();
        if (parser.Peek.Kind != TokenKind.End)
        {
            throw new WhereException($"expected 'and', 'or' or the end of the expression, found {parser.Peek.Describe()}", parser.Peek.Column);
        }
        return expression;
    }

    private Token Peek => _tokens[_at];

    private Token Next() => _tokens[_at++];

    private WhereExpression ParseOr()
    {
        var left = ParseAnd();
        while (IsKeyword(Peek, "or"))
        {
            Next();
            left = new WhereOr(left, ParseAnd());
        }
        return left;
    }

    private WhereExpression ParseAnd()
    {
        var left = ParseUnary();
        while (IsKeyword(Peek, "and"))
        {
            Next();
            left = new WhereAnd(left, ParseUnary());
        }
        return left;
    }

    private WhereExpression ParseUnary()
    {
        var token = Peek;
        if (!IsKeyword(token, "not") && token.Kind != TokenKind.Open) return ParseComparison();
        // Bounded so that a long chain can neither overflow the stack here nor exceed SQLite's expression depth later.
        if (++_depth > MaxDepth) throw new WhereException($"expected at most {MaxDepth} nested parentheses or 'not's", token.Column);
        Next();
        WhereExpression result;
        if (token.Kind == TokenKind.Open)
        {
            result = ParseOr();
            if (Peek.Kind != TokenKind.Close) throw new WhereException($"expected ')' to close the '(' at column {token.Column}, found {Peek.Describe()}", Peek.Column);
            Next();
        }
        else
        {
            result = new WhereNot(ParseUnary());
        }
        _depth--;
        return result;
    }

    private WhereComparison ParseComparison()
    {
        var name = Next();
        // Each comparison is a subquery with two parameters, and and/or chains nest in SQL: both have limits.
        if (++_comparisons > MaxComparisons) throw new WhereException($"expected at most {MaxComparisons} comparisons", name.Column);
        if (name.Kind != TokenKind.Word || IsKeyword(name, "and") || IsKeyword(name, "or"))
        {
            throw new WhereException($"expected a name (a field, param or metric), found {name.Describe()}", name.Column);
        }
        var op = Next();
        if (op.Kind != TokenKind.Operator)
        {
            throw new WhereException($"expected an operator (= != < <= > >=) after '{name.Text}', found {op.Describe()}", op.Column);
        }
        var value = Next();
        if (value.Kind is not (TokenKind.Word or TokenKind.String) || IsKeyword(value, "and") || IsKeyword(value, "or") || IsKeyword(value, "not"))
        {
            throw new WhereException($"expected a value after '{op.Text}' (a number, a word or a quoted string), found {value.Describe()}", value.Column);
        }
        double? number = value.Kind == TokenKind.Word && Numeral().IsMatch(value.Text)
            && double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n : null;
        return new WhereComparison(name.Text, name.Column, op.Text switch
        {
            "=" or "==" => WhereOperator.Equal,
            "!=" => WhereOperator.NotEqual,
            "<" => WhereOperator.Less,
            "<=" => WhereOperator.LessOrEqual,
            ">" => WhereOperator.Greater,
            _ => WhereOperator.GreaterOrEqual,
        }, new WhereLiteral(value.Text, number, value.Column));
    }

    private static bool IsKeyword(Token token, string keyword) =>
        token.Kind == TokenKind.Word && string.Equals(token.Text, keyword, StringComparison.OrdinalIgnoreCase);

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var column = i + 1;
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(new Token(c == '(' ? TokenKind.Open : TokenKind.Close, c.ToString(), column));
                i++;
            }
            else if (c is '<' or '>' or '=' or '!')
            {
                var two = i + 1 < text.Length && text[i + 1] == '=';
                var op = two ? text.Substring(i, 2) : c.ToString();
                if (op == "!") throw new WhereException("expected '!=' ('!' alone is not an operator; use 'not')", column);
                tokens.Add(new Token(TokenKind.Operator, op, column));
                i += op.Length;
            }
            else if (c is '\'' or '"')
            {
                var sb = new StringBuilder();
                var j = i + 1;
                for (; j < text.Length && text[j] != c; j++)
                {
                    if (text[j] == '\\' && j + 1 < text.Length) j++;
                    sb.Append(text[j]);
                }
                if (j >= text.Length) throw new WhereException($"expected a closing {c} for the string that starts here", column);
                tokens.Add(new Token(TokenKind.String, sb.ToString(), column));
                i = j + 1;
            }
            else if (IsWordChar(c))
            {
                var j = i;
                while (j < text.Length && IsWordChar(text[j])) j++;
                tokens.Add(new Token(TokenKind.Word, text[i..j], column));
                i = j;
            }
            else
            {
                throw new WhereException($"unexpected character '{c}'", column);
            }
        }
        tokens.Add(new Token(TokenKind.End, "", text.Length + 1));
        return tokens;
    }

    // Names like eval.loss, match/accuracy or popularity/match/accuracy, and values like llama-1b, 1e-3 or 2026-01-01T10:00.
    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '.' or '-' or '+' or '/' or ':' or '@' or '%';

    private enum TokenKind
    {
        Word,
        String,
        Operator,
        Open,
        Close,
        End,
    }

    private sealed record Token(TokenKind Kind, string Text, int Column)
    {
        public string Describe() => Kind switch
        {
            TokenKind.End => "the end of the expression",
            TokenKind.String => $"the string '{Text}'",
            _ => $"'{Text}'",
        };
    }

    /// <inheritdoc />
    public override string ToString() => _text;
}
