using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace FrontDesk.Bot.Infrastructure;

// Runs background conversation work (turns, deliveries) on a few dedicated threads whose OS priority is below the
// request threads', so that a webhook's acknowledgement gets a core at once however much the turns have to do. An
// await inside such work resumes here too (the scheduler is TaskScheduler.Current). Nothing run here may block
// waiting for other work queued here.
public sealed class BackgroundScheduler : TaskScheduler
{
    // Linux nice value (0 = normal, 19 = lowest): at 10 a busy thread gets about a tenth of a core that a normal one wants.
    const int Nice = 10;

    public static BackgroundScheduler Shared { get; } = new("conversation-work", Math.Max(2, Environment.ProcessorCount));

    readonly BlockingCollection<Task> queue = new();
    readonly int threads;

    [ThreadStatic]
    static BackgroundScheduler? current;

    BackgroundScheduler(string name, int threads)
    {
        this.threads = threads;
        for (var i = 0; i < threads; i++)
            new Thread(Work) { IsBackground = true, Name = name, Priority = ThreadPriority.BelowNormal }.Start();
    }

    // The returned task completes when the work does.
    public Task Run(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    public override int MaximumConcurrencyLevel => threads;

    protected override void QueueTask(Task task) => queue.Add(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => current == this && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => queue.ToArray();

    void Work()
    {
        current = this;
        LowerPriority();
        foreach (var task in queue.GetConsumingEnumerable())
            TryExecuteTask(task);
    }

    // Thread.Priority has no effect on Linux; the thread's nice value does (lowering a priority needs no privilege).
    public static void LowerPriority()
    {
        if (OperatingSystem.IsLinux())
            _ = SetPriority(0, 0, Nice);
    }

    // setpriority(PRIO_PROCESS, 0, nice): on Linux the nice value is per thread and 0 names the calling one.
    [DllImport("libc", EntryPoint = "setpriority")]
    static extern int SetPriority(int which, int who, int prio);
}
