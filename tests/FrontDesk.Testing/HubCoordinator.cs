using System.Net;
using FrontDesk.Bot.Coordinators;
using Microsoft.AspNetCore.SignalR.Client;

namespace FrontDesk.Testing;

/// <summary>A coordinator on the live console: signs in with the console's form, then connects to its hub with that cookie.</summary>
public sealed class HubCoordinator : IAsyncDisposable
{
    readonly List<ConversationChange> changes = [];

    HubCoordinator(HubConnection hub) => Hub = hub;

    public HubConnection Hub { get; }

    public IReadOnlyList<ConversationChange> Changes
    {
        get
        {
            lock (changes)
                return changes.ToList();
        }
    }

    public static async Task<HubCoordinator> SignInAsync(Uri server, string login, string password)
    {
        var cookies = new CookieContainer();
        using (var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = server })
        {
            var form = await http.GetStringAsync("/console/sign-in");
            using var signedIn = await http.PostAsync("/console/sign-in", ConsoleForms.Form(form, ("login", login), ("password", password)));
            if (signedIn.StatusCode != HttpStatusCode.Redirect)
                throw new InvalidOperationException($"Signing in as {login} answered {signedIn.StatusCode}.");
        }
        var hub = new HubConnectionBuilder().WithUrl(new Uri(server, "/console/hub"), o => o.Cookies = cookies).Build();
        var coordinator = new HubCoordinator(hub);
        hub.On<ConversationChange>("conversation", change =>
        {
            lock (coordinator.changes)
                coordinator.changes.Add(change);
        });
        await hub.StartAsync();
        return coordinator;
    }

    /// <summary>Waits for an announced change that matches, and returns it.</summary>
    public async Task<ConversationChange> WaitForAsync(Func<ConversationChange, bool> match, string because, int seconds = 20)
    {
        ConversationChange? found = null;
        await Eventually.TrueAsync(() => (found = Changes.LastOrDefault(match)) is not null, because, seconds);
        return found!;
    }

    public Task<ActionResult> InvokeAsync(string method, params object[] args) => Hub.InvokeCoreAsync<ActionResult>(method, args);

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}
