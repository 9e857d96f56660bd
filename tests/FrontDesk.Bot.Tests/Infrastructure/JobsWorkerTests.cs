using System.Diagnostics;
using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Infrastructure;

public sealed class JobsWorkerTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_standalone_worker_joins_the_shared_database_and_serves_the_knowledge_queue()
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "FrontDesk.Jobs.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(worker);
        start.Environment["Database__ConnectionString"] = db.ConnectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.TrueAsync(async () =>
                await db.ScalarAsync<long>("select count(*) from hangfire.server where data::jsonb -> 'Queues' ? 'knowledge'") == 1,
                because: "the worker did not register a Hangfire server: " + output, seconds: 60);
            var queues = await db.ScalarAsync<string>("select data::jsonb ->> 'Queues' from hangfire.server");
            // Jobs whose classes live in the web host (queue "bot", and "default") must never reach the worker.
            Assert.Equal("[\"knowledge\"]", queues);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
