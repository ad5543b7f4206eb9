using Expt.Catalog;
using Expt.Catalog.Query;

namespace Expt.Tests.Catalog;

public sealed class WhereSqlTests
{
    private static readonly CatalogNames Names = new(
        new HashSet<string> { "lr", "lora_rank", "model", "loss" },
        new HashSet<string> { "accuracy", "loss", "match/accuracy" });

    private static WhereSql Translate(string text) => WhereSql.Translate(WhereParser.Parse(text), Names);

    [Fact]
    public void Given_a_param_compared_with_a_number_when_translated_then_it_is_a_range_over_the_numeric_value_index()
    {
        // When
        var sql = Translate("lr < 1e-3");

        // Then
        sql.Sql.ShouldBe("j.id IN (SELECT job_id FROM job_values WHERE source = 0 AND name = $w0 AND num < $w1)");
        sql.Parameters.ShouldBe(["lr", 0.001]);
    }

    [Fact]
    public void Given_a_driver_among_required_comparisons_when_translated_then_only_it_lists_jobs_and_the_others_look_each_one_up()
    {
        // Given
        var expression = WhereParser.Parse("model = llama-1b and accuracy > 0.949 and (lr < 1e-3 or loss < 0.1)");
        var accuracy = WhereSql.Conjuncts(expression).OfType<WhereComparison>().Single(c => c.Name == "accuracy");

        // When
        var sql = WhereSql.Translate(expression, Names, accuracy);

        // Then: the one driving is a list, the other required one a lookup, and those under "or" stay lists
        sql.Sql.ShouldBe(
            "((EXISTS (SELECT 1 FROM job_values WHERE job_id = j.id AND source = 0 AND name = $w0 AND text = $w1)"
            + " AND j.id IN (SELECT job_id FROM job_values WHERE source = 1 AND name = $w2 AND num > $w3))"
            + " AND (j.id IN (SELECT job_id FROM job_values WHERE source = 0 AND name = $w4 AND num < $w5)"
            + " OR j.id IN (SELECT job_id FROM job_values WHERE source = 0 AND name = $w6 AND num < $w7)))");
    }

    [Fact]
    public void Given_a_metric_compared_with_a_word_when_translated_then_it_compares_the_text()
    {
        Translate("match/accuracy = high").Sql.ShouldContain("source = 1 AND name = $w0 AND text = $w1");
    }

    [Fact]
    public void Given_fields_and_logic_when_translated_then_fields_are_columns_and_the_logic_is_kept()
    {
        // When
        var sql = Translate("state = succeeded and not (stage = train or duration > 5m)");

        // Then
        sql.Sql.ShouldBe("(j.state = $w0 AND (NOT (j.stage = $w1 OR j.duration > $w2)))");
        sql.Parameters.ShouldBe(["succeeded", "train", 300.0]);
    }

    [Fact]
    public void Given_a_short_commit_when_translated_then_equality_is_on_the_prefix()
    {
        Translate("commit = abc1234").Sql.ShouldBe("substr(r.git_commit, 1, length($w0)) = $w0");
    }

    [Fact]
    public void Given_a_misspelt_name_when_translated_then_the_error_suggests_the_closest_name_at_its_column()
    {
        // When
        var error = Should.Throw<WhereException>(() => Translate("lr < 1 and acuracy > 0.5"));

        // Then
        error.Column.ShouldBe(12);
        error.Message.ShouldContain("unknown name 'acuracy' (did you mean 'accuracy'?)");
    }

    [Fact]
    public void Given_a_name_that_is_both_a_param_and_a_metric_when_translated_then_the_bare_name_is_the_param_and_a_prefix_picks_either()
    {
        // When / Then
        Translate("loss < 1").Sql.ShouldContain("source = 0");
        Translate("metric.loss < 1").Sql.ShouldContain("source = 1");
        Translate("param.loss < 1").Sql.ShouldContain("source = 0");
    }

    [Theory]
    [InlineData("state = succeded", "unknown state 'succeded' (did you mean 'succeeded'?)")]
    [InlineData("attempts > many", "expected a number for 'attempts', found 'many'")]
    [InlineData("duration > soon", "expected a duration")]
    [InlineData("dirty = maybe", "expected true or false for 'dirty'")]
    public void Given_a_field_compared_with_a_value_of_the_wrong_type_when_translated_then_it_is_an_error(string text, string expected)
    {
        Should.Throw<WhereException>(() => Translate(text)).Message.ShouldContain(expected);
    }
}
