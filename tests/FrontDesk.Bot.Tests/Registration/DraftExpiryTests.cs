using FrontDesk.Bot.Registration;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FrontDesk.Bot.Tests.Registration;

public sealed class DraftExpiryTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_draft_is_kept_for_the_configured_days_then_removed_and_the_person_starts_again()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = RegistrationKeys.Settings();
        settings["Registration:DraftDays"] = "3";
        await using var host = await BotHost.StartAsync(db.ConnectionString, settings: settings, services: s => s.AddSingleton<TimeProvider>(time));
        var p = new RegistrationScript(host, "e-" + Guid.NewGuid().ToString("N")[..10]);
        await p.AnswerUntilAsync("postal");

        time.Advance(TimeSpan.FromDays(2));
        await p.SayAsync("390-0874");
        Assert.Contains("（6/11）", p.Last);

        time.Advance(TimeSpan.FromDays(3.5));
        await p.PressAsync(RegistrationFlow.Suggested);
        Assert.Contains("保存期間が過ぎたため", p.Texts[^2]);
        Assert.Contains("同意いただける場合", p.Last);

        var report = await host.Services.GetRequiredService<RegistrationMaintenanceJob>().RunAsync(CancellationToken.None);
        Assert.Contains("expired drafts removed: 1", report);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from registration.drafts"));
    }
}
