using Expt.Specs;

namespace Expt.Tests.Specs;

public sealed class TemplateTests
{
    [Theory]
    [InlineData("python train.py --lr {lr}", "python train.py --lr <lr>")]
    [InlineData("test -f ok || { touch x; sleep 1; }", "test -f ok || { touch x; sleep 1; }")]
    [InlineData("echo '{\"a\": {\"b\": 1}}' {x}", "echo '{\"a\": {\"b\": 1}}' <x>")]
    [InlineData("echo ${HOME} {stage.train.dir}/ckpt", "echo ${HOME} <stage.train.dir>/ckpt")]
    [InlineData("echo {{lr}} is literal", "echo {lr} is literal")]
    public void Given_a_command_when_rendered_then_only_name_placeholders_are_filled(string source, string expected)
    {
        // Given
        var template = Template.TryParse(source, out var error);

        // When
        var rendered = template!.Render(f => $"<{f}>");

        // Then
        error.ShouldBeNull();
        rendered.ShouldBe(expected);
    }

    [Fact]
    public void Given_an_unclosed_placeholder_when_parsed_then_the_column_is_reported()
    {
        // Given / When
        var template = Template.TryParse("echo {lr", out var error);

        // Then
        template.ShouldBeNull();
        error.ShouldBe("unclosed '{' at column 6; a placeholder is {name}");
    }
}
