using FrontDesk.Bot.Conversations;

namespace FrontDesk.Bot.Flows.Menu;

/// <summary>One button of the main menu. Features add their own; the LINE rich menu and kiosk tiles send the same commands.</summary>
public sealed record MenuEntry(int Order, LocalText Title, LocalText Description, string Command, string? Argument = null);

public sealed class MainMenu(IEnumerable<MenuEntry> entries)
{
    readonly IReadOnlyList<MenuEntry> entries = entries.OrderBy(e => e.Order).ToList();

    public void Show(TurnContext turn, LocalText? heading = null)
    {
        turn.Send(new Activity
        {
            Text = turn.T(heading ?? new LocalText("ご用件をお選びください。", "What would you like to do?")),
            Cards =
            [
                new Card
                {
                    Title = turn.T("メニュー", "Menu"),
                    Text = string.Join('\n', entries.Select(e => $"・{turn.T(e.Title)}: {turn.T(e.Description)}")),
                    Buttons = entries.Select(e => CardAction.Command(turn.T(e.Title), e.Command, e.Argument)).ToList(),
                },
            ],
        });
    }
}

public sealed class MenuInterruption(MainMenu menu) : Interruption
{
    public override string Command => Commands.Menu;
    public override IReadOnlyList<string> Triggers { get; } = ["メニュー", "めにゅー", "menu", "main menu", "トップ"];

    public override Task RunAsync(TurnContext turn, CancellationToken ct)
    {
        menu.Show(turn);
        return Task.CompletedTask;
    }
}

public sealed class HelpInterruption : Interruption
{
    public override string Command => Commands.Help;
    public override IReadOnlyList<string> Triggers { get; } = ["ヘルプ", "使い方", "つかいかた", "help", "how to use"];

    public override Task RunAsync(TurnContext turn, CancellationToken ct)
    {
        turn.Say(
            "移住や二地域居住（二拠点居住）についてのご質問に、出典つきでお答えします。\n" +
            "・「メニュー」: できることの一覧\n・「やめる」: 入力中の手続きを中止\n・「相談員と話したい」: 相談員へのご案内\n・「English」: 英語に切り替え",
            "I answer questions about moving to the region or living in two places, with sources.\n" +
            "- \"menu\": what I can do\n- \"cancel\": stop the current form\n- \"talk to a person\": reach a coordinator\n- \"日本語\": switch to Japanese",
            BotTexts.MenuButton(turn));
        return Task.CompletedTask;
    }
}

public sealed class LanguageInterruption : Interruption
{
    public override string Command => Commands.Language;
    public override IReadOnlyList<string> Triggers { get; } = ["english", "英語", "in english", "日本語", "japanese", "にほんご"];

    public override Task RunAsync(TurnContext turn, CancellationToken ct)
    {
        var asked = turn.Inbound.Kind == ActivityKind.Command ? turn.Inbound.Value : Phrases.Normalize(turn.Inbound.Text);
        turn.State.Language = asked is "en" or "english" or "英語" or "in english" ? "en" : "ja";
        turn.Say("日本語でご案内します。", "I will reply in English from now on.");
        return Task.CompletedTask;
    }
}

/// <summary>The first words to someone who just added the account or walked up to the kiosk.</summary>
public sealed class Greeting(MainMenu menu)
{
    public Task GreetAsync(TurnContext turn, CancellationToken ct)
    {
        menu.Show(turn, new LocalText(
            "こんにちは。移住・二地域居住の相談窓口です。\n移住の支援制度、空き家バンク、学校や保育のことなど、お気軽にご質問ください。",
            "Hello, this is the relocation and dual-residence help desk.\nAsk me about support programmes, vacant houses, schools and childcare."));
        return Task.CompletedTask;
    }
}
