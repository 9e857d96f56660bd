using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FrontDesk.Bot.Tests.Registration;
using FrontDesk.FakeLine;
using FrontDesk.Testing;
using FrontDesk.Testing.FakeLine;
using Npgsql;

namespace FrontDesk.Bot.Tests.Conversations;

/// <summary>
/// Registration answers typed on LINE pass through conversation.inbound and the outbox; with keys configured nothing of
/// them is written in plain form: not in the database's files, not in the WAL, dead rows included.
/// </summary>
public sealed class PersonalDataAtRestTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Typed_registration_answers_are_in_no_data_file_and_no_WAL_segment_after_a_checkpoint()
    {
        // Fresh values every run, so an old WAL segment of an earlier run cannot answer for this one.
        var name = Pick("蓮椿楓柊梓榛槙樺椋楠", 2) + " " + Pick("瑞穂澪紬凛葵雫燈", 2);
        var kana = Pick("あいうえおかきくけこさしすせそたちつてと", 3) + " " + Pick("なにぬねのはひふへほまみむめも", 3);
        var email = $"z{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}@example.net";
        var digits = "070" + string.Concat(Enumerable.Range(0, 8).Select(_ => RandomNumberGenerator.GetInt32(10)));
        var phone = $"{digits[..3]}-{digits[3..7]}-{digits[7..]}";

        await using (var bot = await LineBot.StartAsync(db.ConnectionString, settings: RegistrationKeys.Settings()))
        {
            var user = LineEvents.NewUserId();
            var seen = 0;
            async Task StepAsync(JsonObject e)
            {
                using (await bot.SendAsync(e))
                {
                }
                seen = (await bot.TextsToAsync(user, seen + 1)).Count;
            }
            await StepAsync(bot.Events.Postback(user, "c=flow&v=furusato"));
            await StepAsync(bot.Events.Postback(user, "c=answer&v=_agree"));
            foreach (var typed in new[] { name, kana, email, phone })
                await StepAsync(bot.Events.Text(user, typed));
            Assert.Contains("郵便番号", bot.Line.TextsTo(user)[^1]);
            await Eventually.TrueAsync(async () => await db.ScalarAsync<long>("""
                select (select count(*) from conversation.inbound where conversation_key = @k)
                     + (select count(*) from conversation.outbox where conversation_key = @k)
                """, ("k", "line:" + user)) == 0);

            await using (var admin = new NpgsqlConnection(db.ConnectionString))
            {
                await admin.OpenAsync();
                await using var checkpoint = new NpgsqlCommand("checkpoint", admin);
                await checkpoint.ExecuteNonQueryAsync();
            }

            var dataDir = ClusterDataDirectory();
            var oid = await db.ScalarAsync<uint>("select oid from pg_database where datname = current_database()");
            var files = Directory.EnumerateFiles(Path.Combine(dataDir, "base", oid.ToString()))
                .Concat(Directory.EnumerateFiles(Path.Combine(dataDir, "pg_wal"))).ToList();
            // The scan does see what is stored in plain form: the conversation's key, in the data files and the WAL.
            var control = Encoding.UTF8.GetBytes("line:" + user);
            Assert.Contains(files, f => f.Contains("pg_wal") && Contains(f, control));
            Assert.Contains(files, f => f.Contains("base") && Contains(f, control));

            var leaks = new List<string>();
            foreach (var needle in new[] { name, kana, email, phone, digits })
            {
                var bytes = Encoding.UTF8.GetBytes(needle);
                leaks.AddRange(files.Where(f => Contains(f, bytes)).Select(f => $"{Path.GetFileName(Path.GetDirectoryName(f))}/{Path.GetFileName(f)}: {needle}"));
            }
            Assert.Empty(leaks);
        }
    }

    static string Pick(string alphabet, int n) => string.Concat(Enumerable.Range(0, n).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]));

    static bool Contains(string file, byte[] needle)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes.AsSpan().IndexOf(needle) >= 0;
        }
        catch (FileNotFoundException)
        {
            // A WAL segment recycled meanwhile.
            return false;
        }
    }

    /// <summary>The data folder of the cluster the tests use: from its postmaster's command line (postgres -D DIR -p PORT).</summary>
    static string ClusterDataDirectory()
    {
        var port = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnectionString).Port.ToString();
        foreach (var proc in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            string[] args;
            try
            {
                args = File.ReadAllText(Path.Combine(proc, "cmdline")).Split('\0');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            var d = Array.IndexOf(args, "-D");
            var p = Array.IndexOf(args, "-p");
            if (d >= 0 && p >= 0 && d + 1 < args.Length && p + 1 < args.Length && args[p + 1] == port && Directory.Exists(Path.Combine(args[d + 1], "pg_wal")))
                return args[d + 1];
        }
        throw new InvalidOperationException($"No local PostgreSQL on port {port} whose data folder this test can read; it needs the private cluster of './frontdesk test'.");
    }
}
