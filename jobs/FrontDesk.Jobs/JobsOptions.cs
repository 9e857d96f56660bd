using System.ComponentModel.DataAnnotations;

namespace FrontDesk.Jobs;

public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Whether this process runs a Hangfire server; the dashboard and scheduling work either way.</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Queues this process takes jobs from. A process only takes queues whose job classes it contains.</summary>
    [MinLength(1)]
    public string[] Queues { get; set; } = [JobQueues.Knowledge];

    [Range(1, 64)]
    public int WorkerCount { get; set; } = 2;
}

public static class JobQueues
{
    /// <summary>Jobs that maintain knowledge (refresh, imports); any host or worker can run them.</summary>
    public const string Knowledge = "knowledge";
    /// <summary>Jobs whose classes live in the web host (retention, reminders).</summary>
    public const string Bot = "bot";
    public const string Default = "default";
}
