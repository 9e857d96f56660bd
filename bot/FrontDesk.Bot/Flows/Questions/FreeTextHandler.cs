using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Menu;

namespace FrontDesk.Bot.Flows.Questions;

/// <summary>Free text outside any flow. Until the knowledge base answers questions, it says so honestly and offers the menu.</summary>
public sealed class FreeTextHandler(MainMenu menu)
{
    public Task HandleAsync(TurnContext turn, CancellationToken ct)
    {
        menu.Show(turn, new LocalText(
            "申し訳ありません。そのご質問には、まだお答えできません。メニューからお選びいただくか、「相談員と話したい」とお送りください。",
            "Sorry, I cannot answer that yet. Please choose from the menu or send \"talk to a person\"."));
        return Task.CompletedTask;
    }
}
