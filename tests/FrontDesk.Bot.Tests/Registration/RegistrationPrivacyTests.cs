using System.Collections.Concurrent;
using FrontDesk.Bot.Registration;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FrontDesk.Bot.Tests.Registration;

/// <summary>After full registrations, no personal field is readable anywhere in the database or in the logs.</summary>
public sealed class RegistrationPrivacyTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    // Values that appear nowhere else in the test data, so a hit can only be a leak.
    static readonly string[] Needles = ["蓮見 千歳", "ハスミ チトセ", "chitose.hasumi@example.net", "07088123456", "070-8812-3456", "8812-3456", "88123456"];

    static RegistrationScript Hasumi(BotHost host) => new(host, "p-" + Guid.NewGuid().ToString("N")[..10])
    {
        Name = "蓮見 千歳", Kana = "はすみ ちとせ", Email = "chitose.hasumi@example.net", Phone = "070-8812-3456",
    };

    /// <summary>A full run: a registration, a view, a change, a handoff with the form open, an abandoned draft.</summary>
    static async Task FullRunAsync(BotHost host)
    {
        var done = Hasumi(host);
        await done.RegisterAsync();
        await done.SayAsync("登録内容を確認");
        await done.SayAsync("変更");
        await done.SayAsync("お名前");
        await done.SayAsync("蓮見 千歳");
        await done.SayAsync("はい");

        var helped = Hasumi(host);
        await helped.AnswerUntilAsync("postal");
        await helped.SayAsync("相談員と話したい");

        var abandoned = Hasumi(host);
        await abandoned.AnswerUntilAsync("birthYear");
        await abandoned.SayAsync(new string('蓮', 1000));
    }

    [Fact]
    public async Task No_text_column_of_any_schema_holds_a_personal_field_in_plain_text()
    {
        await using (var host = await BotHost.StartAsync(db.ConnectionString, settings: RegistrationKeys.Settings()))
            await FullRunAsync(host);

        Assert.True(await db.ScalarAsync<long>("select count(*) from registration.registrations") >= 1);
        Assert.True(await db.ScalarAsync<long>("select count(*) from registration.drafts where payload is not null") >= 2);

        var columns = new List<(string Schema, string Table, string Column, string Type)>();
        await using (var cmd = db.DataSource.CreateCommand("""
            select c.table_schema, c.table_name, c.column_name, c.data_type from information_schema.columns c
            join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
            where c.table_schema not in ('pg_catalog', 'information_schema')
              and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')
            """))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        Assert.Contains(columns, c => c is { Schema: "conversation", Table: "transcript" });
        Assert.Contains(columns, c => c is { Schema: "registration", Table: "registrations", Column: "payload" });

        var leaks = new List<string>();
        foreach (var (schema, table, column, type) in columns)
        {
            foreach (var needle in Needles)
            {
                // bytea is searched for the UTF-8 bytes themselves; everything else as text (jsonb escapes nothing in Japanese).
                var condition = type == "bytea" ? $"position(convert_to(@n, 'UTF8') in \"{column}\") > 0" : $"\"{column}\"::text like '%' || @n || '%'";
                var hits = await db.ScalarAsync<long>($"select count(*) from \"{schema}\".\"{table}\" where {condition}", ("n", needle));
                if (hits > 0)
                    leaks.Add($"{schema}.{table}.{column}: {needle}");
            }
        }
        Assert.Empty(leaks);
    }

    [Fact]
    public async Task The_logs_of_a_full_run_contain_no_personal_data()
    {
        var logs = new LogCapture();
        var settings = RegistrationKeys.Settings();
        settings["Logging:LogLevel:Default"] = "Trace";
        await using (var host = await BotHost.StartAsync(db.ConnectionString, settings: settings, services: s => s.AddSingleton<ILoggerProvider>(logs)))
            await FullRunAsync(host);

        var all = logs.Lines.ToList();
        Assert.Contains(all, l => l.Contains("Handoff requested", StringComparison.Ordinal));
        Assert.Contains(all, l => l.Contains("Furusato registration submitted on channel test, plan premium", StringComparison.Ordinal));
        Assert.True(all.Count > 20, $"only {all.Count} log lines were captured");
        foreach (var needle in Needles.Append("ハスミ").Append("はすみ"))
            Assert.DoesNotContain(all, l => l.Contains(needle, StringComparison.Ordinal));
        Assert.DoesNotContain(all, l => l.Contains(RegistrationKeys.K1, StringComparison.Ordinal) || l.Contains(RegistrationKeys.Index, StringComparison.Ordinal));
    }

    sealed class LogCapture : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        sealed class Logger(LogCapture capture, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                capture.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {state} {exception}");
        }
    }
}
