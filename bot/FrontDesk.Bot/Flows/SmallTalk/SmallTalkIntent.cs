using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Menu;
using FrontDesk.Bot.Flows.Questions;
using FrontDesk.Bot.Handoff;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Flows.SmallTalk;

/// <summary>
/// Greetings, thanks, goodbyes, "what can you do" and the office's own facts (hours, address, access, phone, days off)
/// get a short reply of their own before anything is searched; a message of only emoji or punctuation too.
/// Facts come from the office profile and the office hours; one that is not configured is not invented.
/// </summary>
public sealed class SmallTalkIntent(IntentCatalog catalog, MainMenu menu, OfficeHours hours, IOptions<OfficeProfile> profile) : TextIntent
{
    public override int Order => 0;

    public override Task<bool> TryHandleAsync(TurnContext turn, string text, CancellationToken ct)
    {
        var intent = catalog.Match(text);
        if (intent is null or Intent.Person or Intent.Cancel)
            return Task.FromResult(false);
        var office = profile.Value;
        var name = office.DisplayName;
        var contact = CardAction.Command(turn.T("相談員と話す", "Talk to a coordinator"), Commands.Contact);
        switch (intent)
        {
            case Intent.Greeting:
                menu.Show(turn, new LocalText(
                    $"{Hello(turn).Ja}{name.Ja}のご案内ボットです。移住や二地域居住の支援制度、空き家バンク、学校や保育の手続きなどについてお答えします。ご質問を入力するか、メニューからお選びください。",
                    $"{Hello(turn).En} This is the assistant of the {name.En}. I answer questions on relocation and dual-residence support, vacant houses, schools and childcare. Type a question or choose from the menu."));
                break;
            case Intent.Capabilities:
                menu.Show(turn, new LocalText(
                    $"{name.Ja}のご案内ボットです。次のことをお手伝いできます。制度についてのご質問には、出典を添えてお答えします。",
                    $"I am the assistant of the {name.En}. I can help with the following; answers to questions come with their sources."));
                break;
            case Intent.Thanks:
                turn.Say("どういたしまして。ほかにもご質問があれば、いつでもどうぞ。", "You are welcome. Ask me anything else at any time.", BotTexts.MenuButton(turn));
                break;
            case Intent.Goodbye:
                turn.Say("ご利用ありがとうございました。またいつでもお声がけください。", "Thank you for stopping by. Talk to me again any time.", BotTexts.MenuButton(turn));
                break;
            case Intent.NoWords:
                turn.Say("ご質問は文字で入力してください。メニューからもお選びいただけます。", "Please type your question in words, or choose from the menu.", BotTexts.MenuButton(turn));
                break;
            case Intent.Hours or Intent.Holidays:
                var open = hours.IsOpen(turn.Now);
                var next = hours.DescribeNextOpening(turn.Now);
                var described = hours.Describe();
                turn.Say(new LocalText(
                    $"{name.Ja}の相談員の受付時間は、{described.Ja}です。" + (open ? "ただいま受付中です。" : $"ただいまは受付時間外で、次の受付は{next.Ja}からです。") +
                    "\nこのボットは時間外や休日もご質問にお答えします。",
                    $"Coordinators of the {name.En} are available {described.En}. " + (open ? "We are open now." : $"We are closed now; we open again {next.En}.") +
                    "\nThis bot answers questions at any time, also on days off."), contact, BotTexts.MenuButton(turn));
                break;
            case Intent.Address or Intent.Access:
                if (office.AddressText is null && office.AccessText is null)
                {
                    turn.Say("申し訳ありません。所在地はこちらではご案内できません。相談員にお尋ねください。",
                        "Sorry, I cannot give the address here. Please ask a coordinator.", contact, BotTexts.MenuButton(turn));
                    break;
                }
                var lines = new List<LocalText>();
                if (office.AddressText is { } address)
                    lines.Add(new($"{name.Ja}の所在地: {address.Ja}", $"Address of the {name.En}: {address.En}"));
                if (office.AccessText is { } access)
                    lines.Add(new($"アクセス: {access.Ja}", $"Access: {access.En}"));
                lines.Add(new($"受付時間: {hours.Describe().Ja}", $"Hours: {hours.Describe().En}"));
                turn.Say(new LocalText(string.Join('\n', lines.Select(l => l.Ja)), string.Join('\n', lines.Select(l => l.En))), contact, BotTexts.MenuButton(turn));
                break;
            case Intent.Phone:
                if (office.Phone.Length == 0 && office.Email.Length == 0)
                {
                    turn.Say("申し訳ありません。電話番号はこちらではご案内できません。このチャットで相談員にご相談いただけます。",
                        "Sorry, I cannot give a phone number here. You can talk to a coordinator in this chat.", contact, BotTexts.MenuButton(turn));
                    break;
                }
                var reach = new List<LocalText>();
                if (office.Phone.Length > 0)
                    reach.Add(new($"お電話: {office.Phone}（受付: {hours.Describe().Ja}）", $"Phone: {office.Phone} ({hours.Describe().En})"));
                if (office.Email.Length > 0)
                    reach.Add(new($"メール: {office.Email}", $"E-mail: {office.Email}"));
                turn.Say(new LocalText($"{name.Ja}の連絡先です。\n" + string.Join('\n', reach.Select(l => l.Ja)), $"How to reach the {name.En}:\n" + string.Join('\n', reach.Select(l => l.En))),
                    contact, BotTexts.MenuButton(turn));
                break;
        }
        return Task.FromResult(true);
    }

    // 「おはようございます」 in the morning, 「こんばんは」 in the evening, in the office's time.
    LocalText Hello(TurnContext turn)
    {
        var hour = hours.LocalTime(turn.Now).Hour;
        return hour is >= 4 and < 10 ? new("おはようございます。", "Good morning.")
            : hour is >= 18 or < 4 ? new("こんばんは。", "Good evening.")
            : new("こんにちは。", "Hello.");
    }
}
