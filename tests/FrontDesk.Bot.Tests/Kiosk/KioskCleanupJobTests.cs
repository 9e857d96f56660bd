using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Kiosk;
using FrontDesk.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FrontDesk.Bot.Tests.Kiosk;

public sealed class KioskCleanupJobTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Abandoned_conversations_are_ended_and_their_logs_and_old_codes_removed_while_live_ones_stay()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        await db.ExecuteAsync("""
            insert into kiosk.conversations (id, device, created_at, last_seq) values
              ('abandoned', 'tokyo-1', @old, 1), ('live', 'tokyo-1', @old, 2), ('fresh', 'tokyo-1', @recent, 0);
            insert into kiosk.activities (conversation_id, seq, activity, created_at) values
              ('abandoned', 1, '{}', @old), ('live', 1, '{}', @old), ('live', 2, '{}', @recent);
            insert into kiosk.continuation_codes (code, conversation_key, created_at, expires_at) values
              ('FD-OLDOLD', 'kiosk:abandoned', @old, @old), ('FD-NEWNEW', 'kiosk:live', @recent, @later);
            """, ("old", now.AddHours(-2)), ("recent", now.AddMinutes(-5)), ("later", now.AddMinutes(5)));
        await db.ExecuteAsync("update kiosk.continuation_codes set expires_at = @t where code = 'FD-OLDOLD'", ("t", now.AddDays(-2)));

        var job = new KioskCleanupJob(db.DataSource, new FakeTimeProvider(now), Options.Create(new KioskOptions { TokenLifetime = TimeSpan.FromMinutes(30) }),
            Options.Create(new ConversationOptions()), NullLogger<KioskCleanupJob>.Instance);
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));

        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from kiosk.conversations where ended_at is not null"));
        Assert.NotNull(await db.ScalarAsync<DateTime?>("select ended_at from kiosk.conversations where id = 'abandoned'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from kiosk.activities where conversation_id = 'abandoned'"));
        Assert.Equal(2L, await db.ScalarAsync<long>("select count(*) from kiosk.activities where conversation_id = 'live'"));
        Assert.Equal("FD-NEWNEW", await db.ScalarAsync<string>("select string_agg(code, ',') from kiosk.continuation_codes"));
    }
}
