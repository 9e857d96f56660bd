using FrontDesk.Jobs.Knowledge;
using FrontDesk.Jobs.Listings;
using FrontDesk.Knowledge.Database;
using FrontDesk.Knowledge.Documents;
using FrontDesk.Knowledge.Listings;

namespace FrontDesk.Jobs;

/// <summary>A standalone Hangfire worker for scale-out: it shares the database with the web hosts and takes the knowledge queue.</summary>
public static class WorkerProgram
{
    public static void Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddDatabase();
        builder.AddJobs(JobQueues.Knowledge);
        builder.AddKnowledge(search: false);
        builder.AddKnowledgeJobs();
        builder.AddListings();
        builder.AddListingJobs();
        builder.Build().Run();
    }
}
