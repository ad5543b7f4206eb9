using Expt.Execution.Backends;
using Expt.Execution.Local;

namespace Expt.Tests.Execution.Backends;

public sealed class ExecutorRegistryTests
{
    [Fact]
    public void Given_a_new_registry_when_asked_then_it_holds_the_local_backend_only()
    {
        // Given / When
        var registry = new ExecutorRegistry();

        // Then
        registry.Names.ShouldBe([LocalBackend.BackendName]);
        registry.Find(LocalBackend.BackendName).ShouldBeOfType<LocalBackend>();
        registry.SettingKeys.ShouldBe(["type"]);
    }

    [Fact]
    public void Given_a_registered_backend_when_asked_then_its_name_follows_local_and_its_settings_are_known()
    {
        // Given
        var registry = new ExecutorRegistry();

        // When
        registry.Register(SubprocessBackend.BackendName, () => new SubprocessBackend());

        // Then
        registry.Names.ShouldBe([LocalBackend.BackendName, SubprocessBackend.BackendName]);
        registry.Find(SubprocessBackend.BackendName).ShouldBeOfType<SubprocessBackend>();
        registry.SettingKeys.ShouldBe(["type", "shell"]);
    }

    [Fact]
    public void Given_a_backend_whose_assembly_is_absent_when_found_then_it_is_as_if_unregistered()
    {
        // Given a factory that fails as the runtime does when an assembly is missing
        var registry = new ExecutorRegistry();
        var made = 0;
        registry.Register("gone", () =>
        {
            made++;
            throw new FileNotFoundException("Could not load file or assembly 'Expt.Gone'");
        });

        // When
        var found = registry.Find("gone");

        // Then nothing is found, no message offers it, its settings do not fail the spec loader, and the factory ran once
        found.ShouldBeNull();
        registry.Names.ShouldBe([LocalBackend.BackendName]);
        registry.SettingKeys.ShouldBe(["type"]);
        registry.Find("gone").ShouldBeNull();
        made.ShouldBe(1);
    }
}
