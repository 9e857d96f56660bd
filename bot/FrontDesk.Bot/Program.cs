using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Coordinators;
using FrontDesk.Bot.Flows;
using FrontDesk.Bot.Flows.Guidance;
using FrontDesk.Bot.Flows.Listings;
using FrontDesk.Bot.Handoff;
using FrontDesk.Bot.Infrastructure;
using FrontDesk.Bot.Line;
using FrontDesk.Bot.Registration;
using FrontDesk.Bot.Staff;
using FrontDesk.Bot.Kiosk;
using FrontDesk.Bot.Terminal;
using FrontDesk.Jobs;
using FrontDesk.Jobs.Knowledge;
using FrontDesk.Jobs.Listings;
using FrontDesk.Knowledge.Documents;
using FrontDesk.Knowledge.Database;
using FrontDesk.Knowledge.Listings;

if (args is ["chat", .. var chatArgs])
    return await TerminalChat.RunAsync(chatArgs);
if (args is ["line", .. var lineArgs])
    return await LineCommands.RunAsync(lineArgs);
if (args is ["staff", .. var staffArgs])
    return await StaffExtensions.RunCommandAsync(staffArgs);

var builder = WebApplication.CreateBuilder(args);
builder.AddWebSecurity();
builder.AddDatabase();
builder.AddJobs(JobQueues.Knowledge, JobQueues.Bot, JobQueues.Default);
builder.AddKnowledge();
builder.AddKnowledgeJobs();
builder.AddListings();
builder.AddListingJobs();
builder.AddConversations();
builder.AddTurnDispatcher();
builder.AddFlows();
builder.AddRegistration();
builder.AddGuidance();
builder.AddListingSearch();
builder.AddHandoff();
builder.AddLine();
builder.AddStaff();
builder.AddCoordinatorConsole();
builder.AddKiosk();
builder.Services.AddProblemDetails();

var app = builder.Build();
app.UseWebSecurity();
app.UseStatusCodePages();
app.UseConsoleHubOrigins();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseAntiforgeryAnswer();
app.MapHealth();
app.MapJobsDashboard();
app.MapLine();
app.MapConsole();
app.MapKiosk();
app.MapRegistration();
app.MapListingPhotos();
app.MapGet("/", () => Results.Redirect("/health/ready"));

await app.RunAsync();
return 0;

public partial class Program;
