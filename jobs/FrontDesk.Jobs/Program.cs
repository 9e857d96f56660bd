using FrontDesk.Jobs;
using FrontDesk.Knowledge.Database;

// A standalone Hangfire worker for scale-out: it shares the database with the web hosts and takes the knowledge queue.
var builder = Host.CreateApplicationBuilder(args);
builder.AddDatabase();
builder.AddJobs(JobQueues.Knowledge, JobQueues.Default);

builder.Build().Run();
