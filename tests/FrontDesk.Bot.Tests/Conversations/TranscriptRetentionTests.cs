using FrontDesk.Bot.Conversations;
using FrontDesk.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FrontDesk.Bot.Tests.Conversations;

public sealed class TranscriptRetentionTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Transcripts_older_than_the_retention_period_are_deleted_and_newer_ones_kept()
    {
        var now = new DateTimeOffset(2026, 11, 23, 3, 30, 0, TimeSpan.Zero);
        const string insert = """
            insert into conversation.transcript (conversation_key, direction, activity, created_at)
            select 'test:retention', 'i', '{"text":"x"}', @at from generate_series(1, @n)
            """;
        await db.ExecuteAsync(insert, ("at", now.AddDays(-31)), ("n", 12_000)); // more than one delete batch
        await db.ExecuteAsync(insert, ("at", now.AddDays(-29)), ("n", 3));

        var job = new TranscriptRetentionJob(db.DataSource, new FakeTimeProvider(now),
            Options.Create(new ConversationOptions { TranscriptRetentionDays = 30 }), NullLogger<TranscriptRetentionJob>.Instance);
        Assert.Equal(12_000, await job.RunAsync(CancellationToken.None));
        Assert.Equal(3, await db.ScalarAsync<long>("select count(*) from conversation.transcript where conversation_key = 'test:retention'"));

        // Running it again is harmless.
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
    }
}
