using FrontDesk.Bot.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace FrontDesk.Bot.Coordinators;

/// <summary>
/// The console's live channel. Staff only (the console's sign-in cookie, SameSite=Strict, so another site cannot open it
/// with a coordinator's credentials). The server pushes <see cref="ChangeEvent"/> with a <see cref="ConversationChange"/>
/// whenever a handed-off conversation changes on any host; clients act through the same checks and audit as the forms.
/// </summary>
[Authorize(Policy = StaffExtensions.StaffPolicy)]
public sealed class ConsoleHub(ConsoleActions actions, ConsoleQueries queries, ConsoleNotes notes, LineDisplayNames names) : Hub
{
    public const string Path = "/console/hub";
    public const string ChangeEvent = "conversation";

    string Login => Context.User!.Identity!.Name!;

    /// <summary>The waiting and active conversations now, oldest request first.</summary>
    public async Task<List<ConversationChange>> Queue()
    {
        var changes = await queries.QueueChangesAsync(Context.ConnectionAborted);
        for (var i = 0; i < changes.Count; i++)
            changes[i] = changes[i] with { DisplayName = await names.ForAsync(changes[i].Key, Context.ConnectionAborted) };
        return changes;
    }

    public Task<ActionResult> Claim(string key) => actions.ClaimAsync(key, Login, Context.ConnectionAborted);

    public Task<ActionResult> Reply(string key, string text) => actions.ReplyAsync(key, Login, text, Context.ConnectionAborted);

    public Task<ActionResult> Release(string key) => actions.ReleaseAsync(key, Login, Context.ConnectionAborted);

    public Task<ActionResult> Transfer(string key, string to) => actions.TransferAsync(key, Login, to, Context.ConnectionAborted);

    public Task<ActionResult> Close(string key) => actions.CloseAsync(key, Login, Context.ConnectionAborted);

    public Task<ActionResult> Note(string key, string text) => notes.AddAsync(key, Login, text, Context.ConnectionAborted);
}
