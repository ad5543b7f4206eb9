using Expt.Catalog.Query;

namespace Expt.Tests.Catalog;

public sealed class WhereParserTests
{
    [Theory]
    [InlineData("lr < 1e-3", "lr", WhereOperator.Less, "1e-3", 0.001)]
    [InlineData("lr<1e-3", "lr", WhereOperator.Less, "1e-3", 0.001)]
    [InlineData("accuracy >= 0.8", "accuracy", WhereOperator.GreaterOrEqual, "0.8", 0.8)]
    [InlineData("seed = 42", "seed", WhereOperator.Equal, "42", 42.0)]
    [InlineData("seed == 42", "seed", WhereOperator.Equal, "42", 42.0)]
    [InlineData("delta != -0.5", "delta", WhereOperator.NotEqual, "-0.5", -0.5)]
    [InlineData("x <= 3", "x", WhereOperator.LessOrEqual, "3", 3.0)]
    [InlineData("x > 2.5E+2", "x", WhereOperator.Greater, "2.5E+2", 250.0)]
    public void Given_a_numeric_comparison_when_parsed_then_the_name_operator_and_number_are_kept(string text, string name, WhereOperator op, string literal, double number)
    {
        // When
        var parsed = WhereParser.Parse(text).ShouldBeOfType<WhereComparison>();

        // Then
        parsed.Name.ShouldBe(name);
        parsed.Operator.ShouldBe(op);
        parsed.Value.Text.ShouldBe(literal);
        parsed.Value.Number.ShouldBe(number);
    }

    [Theory]
    [InlineData("model = llama-1b", "llama-1b")]
    [InlineData("model = 'llama 1b'", "llama 1b")]
    [InlineData("model = \"llama-1b\"", "llama-1b")]
    [InlineData("created >= 2026-01-01", "2026-01-01")]
    [InlineData("state = succeeded", "succeeded")]
    [InlineData("popularity/match/accuracy = x", "x")]
    [InlineData("name = 'it\\'s'", "it's")]
    [InlineData("seed = '42'", "42")]
    [InlineData("case = nan", "nan")]
    [InlineData("case = NaN", "NaN")]
    [InlineData("case = inf", "inf")]
    [InlineData("case = infinity", "infinity")]
    [InlineData("case = -Infinity", "-Infinity")]
    [InlineData("case = 1e999", "1e999")]
    [InlineData("case = 0x10", "0x10")]
    public void Given_a_string_comparison_when_parsed_then_the_value_is_text_not_a_number(string text, string literal)
    {
        // When
        var parsed = WhereParser.Parse(text).ShouldBeOfType<WhereComparison>();

        // Then
        parsed.Value.Text.ShouldBe(literal);
        parsed.Value.Number.ShouldBeNull();
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void Given_deeply_nested_parentheses_when_parsed_then_more_than_64_levels_is_an_error_not_a_crash(int depth, bool parses)
    {
        // Given
        var text = new string('(', depth) + "x = 1" + new string(')', depth);

        // When
        var parse = () => WhereParser.Parse(text);

        // Then
        if (parses) parse().ShouldBeOfType<WhereComparison>();
        else parse.ShouldThrow<WhereException>().Message.ShouldContain("nested");
    }

    [Fact]
    public void Given_more_comparisons_than_a_query_can_hold_when_parsed_then_it_is_an_error()
    {
        // Given
        var text = string.Join(" or ", Enumerable.Repeat("x = 1", 300));

        // When
        var error = Should.Throw<WhereException>(() => WhereParser.Parse(text));

        // Then
        error.Message.ShouldContain("at most 256 comparisons");
    }

    [Fact]
    public void Given_and_or_not_without_parentheses_when_parsed_then_not_binds_tightest_then_and_then_or()
    {
        // When
        var parsed = WhereParser.Parse("a = 1 or not b = 2 and c = 3");

        // Then
        var or = parsed.ShouldBeOfType<WhereOr>();
        or.Left.ShouldBeOfType<WhereComparison>().Name.ShouldBe("a");
        var and = or.Right.ShouldBeOfType<WhereAnd>();
        and.Left.ShouldBeOfType<WhereNot>().Operand.ShouldBeOfType<WhereComparison>().Name.ShouldBe("b");
        and.Right.ShouldBeOfType<WhereComparison>().Name.ShouldBe("c");
    }

    [Fact]
    public void Given_parentheses_and_upper_case_keywords_when_parsed_then_the_grouping_is_kept()
    {
        // When
        var parsed = WhereParser.Parse("(a = 1 OR b = 2) AND NOT (c < 3)");

        // Then
        var and = parsed.ShouldBeOfType<WhereAnd>();
        and.Left.ShouldBeOfType<WhereOr>();
        and.Right.ShouldBeOfType<WhereNot>().Operand.ShouldBeOfType<WhereComparison>().Operator.ShouldBe(WhereOperator.Less);
    }

    [Fact]
    public void Given_a_prefixed_name_when_parsed_then_the_prefix_is_part_of_the_name()
    {
        WhereParser.Parse("metric.loss < 1").ShouldBeOfType<WhereComparison>().Name.ShouldBe("metric.loss");
    }

    [Theory]
    [InlineData("", 1, "empty expression")]
    [InlineData("   ", 1, "empty expression")]
    [InlineData("lr <", 5, "expected a value after '<'")]
    [InlineData("lr < and x = 1", 6, "expected a value after '<'")]
    [InlineData("lr 1e-3", 4, "expected an operator")]
    [InlineData("< 3", 1, "expected a name")]
    [InlineData("lr < 1 and", 11, "expected a name")]
    [InlineData("lr < 1 accuracy > 2", 8, "expected 'and', 'or' or the end")]
    [InlineData("(lr < 1", 8, "expected ')' to close the '(' at column 1")]
    [InlineData("lr < 1)", 7, "expected 'and', 'or' or the end")]
    [InlineData("model = 'llama", 9, "closing '")]
    [InlineData("lr ! 3", 4, "'!' alone is not an operator")]
    [InlineData("lr < 3 & x = 1", 8, "unexpected character '&'")]
    [InlineData("lr = = 3", 6, "expected a value after '='")]
    public void Given_a_bad_expression_when_parsed_then_the_error_names_the_column_and_what_was_expected(string text, int column, string expected)
    {
        // When
        var error = Should.Throw<WhereException>(() => WhereParser.Parse(text));

        // Then
        error.Column.ShouldBe(column);
        error.Message.ShouldStartWith($"column {column}: ");
        error.Message.ShouldContain(expected);
    }
}
