namespace FrontDesk.Bot.Conversations;

/// <summary>Sentences the engine itself says; each flow keeps its own texts next to its code.</summary>
public static class BotTexts
{
    public static readonly LocalText TurnFailed = new(
        "申し訳ありません。処理中に問題が起きました。お手数ですが、もう一度お試しいただくか、メニューからお選びください。",
        "Sorry, something went wrong on our side. Please try again or choose from the menu.");

    public static readonly LocalText EmptyMessage = new(
        "メッセージが空のようです。ご質問を入力するか、メニューからお選びください。",
        "Your message seems to be empty. Please type a question or choose from the menu.");

    public static LocalText TooLong(int max) => new(
        $"メッセージが長すぎます（{max:N0}文字まで）。短くまとめて、もう一度送ってください。",
        $"Your message is too long (up to {max:N0} characters). Please shorten it and send it again.");

    public static readonly LocalText Cancelled = new("中止しました。", "Cancelled.");
    public static readonly LocalText NothingToCancel = new("中止する手続きはありません。", "There is nothing to cancel.");

    public static readonly LocalText Continue = new("続ける", "Continue");
    public static readonly LocalText Cancel = new("やめる", "Cancel");
    public static readonly LocalText Menu = new("メニュー", "Menu");

    public static CardAction MenuButton(TurnContext turn) => CardAction.Command(turn.T(Menu), Commands.Menu);
    public static CardAction CancelButton(TurnContext turn) => CardAction.Command(turn.T(Cancel), Commands.Cancel);
}

/// <summary>Command names shared by channels (postbacks, rich menu, kiosk tiles) and the router.</summary>
public static class Commands
{
    public const string Menu = "menu";
    public const string Help = "help";
    public const string Cancel = "cancel";
    public const string Language = "language";
    public const string StartFlow = "flow";
    public const string Answer = "answer";
    public const string Contact = "contact";
    public const string BackToBot = "bot";
    /// <summary>A topic button (LINE rich menu): support, akiya, school or furusato.</summary>
    public const string Topic = "topic";
}
