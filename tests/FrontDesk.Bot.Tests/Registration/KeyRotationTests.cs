using FrontDesk.Bot.Registration;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Registration;

public sealed class KeyRotationTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task After_a_rotation_old_data_still_decrypts_and_the_maintenance_job_moves_it_to_the_active_key()
    {
        string user;
        await using (var before = await BotHost.StartAsync(db.ConnectionString, settings: RegistrationKeys.Settings("k1")))
        {
            var p = new RegistrationScript(before, "k-" + Guid.NewGuid().ToString("N")[..10]);
            await p.RegisterAsync();
            var unfinished = new RegistrationScript(before, p.User + "-draft");
            await unfinished.AnswerUntilAsync("postal");
            user = p.User;
        }
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from registration.registrations where key_id <> 'k1'"));

        await using (var rotated = await BotHost.StartAsync(db.ConnectionString, settings: RegistrationKeys.Settings("k2", withK1: true, withK2: true)))
        {
            var p = new RegistrationScript(rotated, user);
            await p.SayAsync("登録内容を確認");
            Assert.Contains("・お名前: 鈴木 椿", p.Last);
            var report = await rotated.Services.GetRequiredService<RegistrationMaintenanceJob>().RunAsync(CancellationToken.None);
            Assert.Contains("re-encrypted to key k2", report);
        }
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from registration.registrations where key_id <> 'k2'"));
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from registration.drafts where payload is not null and key_id <> 'k2'"));

        // The old key can now be removed from the configuration.
        await using var after = await BotHost.StartAsync(db.ConnectionString, settings: RegistrationKeys.Settings("k2", withK1: false, withK2: true));
        var again = new RegistrationScript(after, user);
        await again.SayAsync("登録内容を確認");
        Assert.Contains("・お名前: 鈴木 椿", again.Last);
        var resumed = new RegistrationScript(after, user + "-draft");
        await resumed.StartAsync();
        await resumed.PressAsync(RegistrationFlow.Resume);
        Assert.Contains("（5/11）", resumed.Last);
    }

    [Fact]
    public void A_value_sealed_for_one_purpose_does_not_open_for_another_and_tampering_is_detected()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new RegistrationOptions
        {
            Keys = { ["k1"] = RegistrationKeys.K1 }, ActiveKey = "k1", IndexKey = RegistrationKeys.Index,
        });
        var cipher = new FieldCipher(options);
        var sealedValue = cipher.Seal("registration.record", "鈴木 椿");
        Assert.Equal("鈴木 椿", cipher.Open("registration.record", sealedValue));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => cipher.Open("registration.draft", sealedValue));
        sealedValue.Data[^1] ^= 1;
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => cipher.Open("registration.record", sealedValue));
        Assert.NotEqual(cipher.Seal("x", "a").Data, cipher.Seal("x", "a").Data);
        Assert.Equal(cipher.Index("email", "a@example.jp"), cipher.Index("email", "a@example.jp"));
    }
}
