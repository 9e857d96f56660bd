using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Registration;
using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Registration;

/// <summary>One person going through the form on the engine's test channel, with valid answers unless a test says otherwise.</summary>
public sealed class RegistrationScript(ConversationEngine engine, RecordingSender sender, string user)
{
    public RegistrationScript(BotHost host, string user) : this(host.Engine, host.Sender, user)
    {
    }

    public string User { get; } = user;
    public string Name { get; init; } = "鈴木 椿";
    public string Kana { get; init; } = "すずき つばき";
    public string Email { get; init; } = "tsubaki.suzuki@example.jp";
    public string Phone { get; init; } = "０９０ー４４１７ー２２８３";

    public IReadOnlyList<string> Texts => sender.TextsTo(User);
    public string Last => Texts[^1];

    ConversationAddress Address => new(RecordingSender.ChannelName, User);

    public Task SayAsync(string text) => engine.HandleAsync(Address, Activity.Message(text), CancellationToken.None);
    public Task PressAsync(string value) => engine.HandleAsync(Address, Activity.Command(Commands.Answer, value), CancellationToken.None);

    public Task StartAsync() => engine.HandleAsync(Address, Activity.Command(Commands.StartFlow, RegistrationFlow.FlowName), CancellationToken.None);

    /// <summary>Consent and the answers up to (not including) the named step; "confirm" answers everything.</summary>
    public async Task AnswerUntilAsync(string step)
    {
        await StartAsync();
        var steps = new (string Key, Func<Task> Answer)[]
        {
            ("consent", () => PressAsync(RegistrationFlow.Agree)),
            ("name", () => SayAsync(Name)),
            ("kana", () => SayAsync(Kana)),
            ("email", () => SayAsync(Email)),
            ("phone", () => SayAsync(Phone)),
            ("postal", () => SayAsync("〒３９０ー０８７４")),
            ("address", () => PressAsync(RegistrationFlow.Suggested)),
            ("birthYear", () => SayAsync("昭和60年")),
            ("relations", async () =>
            {
                await PressAsync("origin");
                await PressAsync("tourism");
                await PressAsync(RegistrationFlow.Done);
            }),
            ("municipalities", () => SayAsync("松本市、安曇野市")),
            ("plan", () => SayAsync("プレミアム")),
            ("topics", () => SayAsync("イベント、仕事")),
        };
        foreach (var (key, answer) in steps)
        {
            if (key == step)
                return;
            await answer();
        }
    }

    public async Task<string> RegisterAsync()
    {
        await AnswerUntilAsync("confirm");
        await PressAsync(RegistrationFlow.Submit);
        return System.Text.RegularExpressions.Regex.Match(Last, @"FR-\d{4}-\d{6}").Value;
    }
}
