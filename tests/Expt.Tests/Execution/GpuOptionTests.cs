using Expt.Execution;

namespace Expt.Tests.Execution;

public sealed class GpuOptionTests
{
    [Theory]
    [InlineData("0,1,2,3", new[] { "0", "1", "2", "3" })]
    [InlineData(" 2 , 5 ", new[] { "2", "5" })]
    [InlineData("GPU-8f6e1c2a-0b1d-4c3e-9f00-123456789abc,1", new[] { "GPU-8f6e1c2a-0b1d-4c3e-9f00-123456789abc", "1" })]
    [InlineData("MIG-GPU-8f6e1c2a/1/0", new[] { "MIG-GPU-8f6e1c2a/1/0" })]
    [InlineData("none", new string[0])]
    [InlineData("", new string[0])]
    public void Given_gpu_indices_or_uuids_when_parsed_then_each_is_one_gpu(string text, string[] expected)
    {
        GpuDetector.ParseOption(text, out var problem).ShouldBe(expected);
        problem.ShouldBeNull();
    }

    [Theory]
    [InlineData("0,,1")]
    [InlineData("0,")]
    [InlineData("x")]
    [InlineData("a,b")]
    [InlineData("-1")]
    [InlineData("0,0")]
    [InlineData("GPU-")]
    [InlineData("1.5")]
    public void Given_a_malformed_gpu_list_when_parsed_then_it_is_refused_with_the_expected_form(string text)
    {
        GpuDetector.ParseOption(text, out var problem).ShouldBeNull();
        problem.ShouldNotBeNull().ShouldContain("expected distinct GPU ids");
    }
}
