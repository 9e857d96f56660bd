using System.Diagnostics;
using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Infrastructure;

public sealed class DeploymentFilesTests
{
    static async Task<(int Exit, string Output)> ComposeAsync(params string[] args)
    {
        var start = new ProcessStartInfo("docker-compose") { WorkingDirectory = RepositoryRoot.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-f", "docker-compose.yml" }.Concat(args))
            start.ArgumentList.Add(arg);
        start.Environment["FRONTDESK_DB_PASSWORD"] = "not-a-real-password";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task The_compose_file_is_valid_and_defines_database_web_host_and_worker()
    {
        var (exit, output) = await ComposeAsync("config", "-q");
        Assert.True(exit == 0, output);

        (exit, output) = await ComposeAsync("config", "--services");
        Assert.Equal(0, exit);
        Assert.Equal(["bot", "jobs", "postgres"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order());
    }

    [Fact]
    public async Task The_compose_file_refuses_to_start_without_a_database_password()
    {
        var start = new ProcessStartInfo("docker-compose", "-f docker-compose.yml config -q") { WorkingDirectory = RepositoryRoot.Path, RedirectStandardError = true };
        start.Environment.Remove("FRONTDESK_DB_PASSWORD");
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("FRONTDESK_DB_PASSWORD", error);
    }
}
