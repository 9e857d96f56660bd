using FrontDesk.Bot;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Coordinators;
using FrontDesk.Bot.Flows.Listings;
using FrontDesk.Bot.Infrastructure;
using FrontDesk.Bot.Line;
using FrontDesk.Bot.Registration;
using FrontDesk.Bot.Staff;
using FrontDesk.Bot.Kiosk;
using FrontDesk.Bot.Terminal;
using FrontDesk.Jobs;
using FrontDesk.Jobs.Knowledge;
using FrontDesk.Jobs.Listings;
using FrontDesk.Knowledge.Database;

if (args is ["chat", .. var chatArgs])
    return await TerminalChat.RunAsync(chatArgs);
if (args is ["line", .. var lineArgs])
    return await LineCommands.RunAsync(lineArgs);
if (args is ["staff", .. var staffArgs])
    return await StaffExtensions.RunCommandAsync(staffArgs);

var builder = WebApplication.CreateBuilder(args);
builder.AddWebSecurity();
builder.AddDatabase();
builder.AddAllSchemas();
builder.AddJobs(JobQueues.Knowledge, JobQueues.Bot, JobQueues.Default);
builder.AddConversationEngine();
builder.AddKnowledgeJobs();
builder.AddListingJobs();
builder.AddTurnDispatcher();
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
