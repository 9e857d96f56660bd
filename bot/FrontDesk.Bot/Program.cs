using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows;
using FrontDesk.Bot.Infrastructure;
using FrontDesk.Bot.Kiosk;
using FrontDesk.Bot.Terminal;
using FrontDesk.Jobs;
using FrontDesk.Jobs.Knowledge;
using FrontDesk.Knowledge.Documents;
using FrontDesk.Knowledge.Database;

if (args is ["chat", .. var chatArgs])
    return await TerminalChat.RunAsync(chatArgs);

var builder = WebApplication.CreateBuilder(args);
builder.AddDatabase();
builder.AddJobs(JobQueues.Knowledge, JobQueues.Bot, JobQueues.Default);
builder.AddKnowledge();
builder.AddKnowledgeJobs();
builder.AddConversations();
builder.AddTurnDispatcher();
builder.AddFlows();
builder.AddKiosk();
builder.Services.AddProblemDetails();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealth();
app.MapJobsDashboard();
app.MapKiosk();
app.MapGet("/", () => Results.Redirect("/health/ready"));

await app.RunAsync();
return 0;

public partial class Program;
