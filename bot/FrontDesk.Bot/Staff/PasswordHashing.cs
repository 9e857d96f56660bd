using System.Security.Cryptography;
using System.Threading.Channels;

namespace FrontDesk.Bot.Staff;

/// <summary>PBKDF2-SHA256 with a random salt; the iteration count is stored with the hash so it can be raised later.</summary>
public static class PasswordHashing
{
    const int Iterations = 210_000;
    const int SaltBytes = 16;
    const int HashBytes = 32;

    /// <summary>Checked when the login is unknown or locked, so that answer costs the same as a wrong password.</summary>
    public static readonly string DummyHash = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts is not ["pbkdf2-sha256", var iterations, var salt, var hash] || !int.TryParse(iterations, out var n))
            return false;
        var expected = Convert.FromBase64String(hash);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, Convert.FromBase64String(salt), n, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}

/// <summary>
/// Runs password checks on a few dedicated below-normal-priority threads (half the cores, at least one) fed by a bounded
/// queue. A storm of sign-in attempts then waits in the queue without holding thread-pool threads or every core, so the
/// LINE webhook and the console keep answering. A full queue refuses at once instead of piling up.
/// </summary>
public sealed class PasswordVerifier : IDisposable
{
    sealed record Job(string Password, string Hash, TaskCompletionSource<bool> Done);

    readonly Channel<Job> queue;
    readonly Thread[] workers;

    public PasswordVerifier(int? threads = null, int queueLength = 64)
    {
        queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(queueLength) { FullMode = BoundedChannelFullMode.Wait });
        workers = new Thread[threads ?? Math.Max(1, Environment.ProcessorCount / 2)];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = new Thread(Work) { IsBackground = true, Name = "password-verifier", Priority = ThreadPriority.BelowNormal };
            workers[i].Start();
        }
    }

    public int Threads => workers.Length;

    /// <summary>Null when too many checks are already waiting: the caller answers "busy, try again".</summary>
    public Task<bool>? TryVerify(string password, string hash)
    {
        var job = new Job(password, hash, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        return queue.Writer.TryWrite(job) ? job.Done.Task : null;
    }

    void Work()
    {
        // ThreadPriority alone does nothing on Linux.
        Infrastructure.BackgroundScheduler.LowerPriority();
        while (queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (queue.Reader.TryRead(out var job))
            {
                try
                {
                    job.Done.SetResult(PasswordHashing.Verify(job.Password, job.Hash));
                }
                catch (FormatException e)
                {
                    job.Done.SetException(e);
                }
            }
        }
    }

    public void Dispose() => queue.Writer.TryComplete();
}
