using FrontDesk.Bot.Conversations;

namespace FrontDesk.Bot.Flows.Topics;

/// <summary>
/// "topic" commands from the LINE rich menu (and later kiosk tiles): a short description of what the desk can tell
/// about the topic and an invitation to ask. The topic flows themselves come with the knowledge base.
/// </summary>
public sealed class TopicInterruption : Interruption
{
    public override string Command => Commands.Topic;
    public override IReadOnlyList<string> Triggers { get; } = [];

    static readonly Dictionary<string, (LocalText About, LocalText Example)> Topics = new()
    {
        ["support"] = (
            new("移住・二地域居住の支援制度についてご案内します。移住支援金、お試し滞在や交通費の補助など、制度ごとに条件と対象の年度があります。",
                "I can tell you about support for moving or living in two places: relocation grants, trial stays, travel-cost support and more. Each has its own conditions and fiscal year."),
            new("例：「移住支援金の条件を教えて」", "For example: \"What are the conditions for the relocation grant?\"")),
        ["akiya"] = (
            new("空き家バンクは、市町村が空き家を紹介するしくみです。探し方や利用の流れをご案内します。",
                "Vacant-house banks are how municipalities introduce empty houses. I can explain how to search and how the process works."),
            new("例：「空き家バンクの使い方を教えて」", "For example: \"How do I use a vacant-house bank?\"")),
        ["school"] = (
            new("お子さまの学校や保育についてご案内します。転校や区域外就学、体験入学、保育園の入園などです。",
                "I can tell you about schools and childcare: changing schools, attending a school outside your district, trial enrolment and nursery places."),
            new("例：「二地域居住のとき、子どもの学校はどうなりますか？」", "For example: \"Which school can my child attend if we live in two places?\"")),
        ["furusato"] = (
            new("ふるさと住民登録は、住んでいない地域と継続的に関わる方を登録する、国が準備中の新しい制度です。わかっている範囲でご案内します。",
                "Furusato resident registration is a new national scheme in preparation for people who keep ties with a region they do not live in. I can tell you what is known so far."),
            new("例：「ふるさと住民登録とは何ですか？」", "For example: \"What is furusato resident registration?\"")),
    };

    public override Task RunAsync(TurnContext turn, CancellationToken ct)
    {
        if (turn.Inbound.Value is { } key && Topics.TryGetValue(key, out var topic))
        {
            turn.Say(
                $"{topic.About.Ja}\nご質問を文字で入力してください。\n{topic.Example.Ja}",
                $"{topic.About.En}\nPlease type your question.\n{topic.Example.En}",
                BotTexts.MenuButton(turn), CardAction.Command(turn.T("相談員と話す", "Talk to a coordinator"), Commands.Contact));
            return Task.CompletedTask;
        }
        turn.Say("ご質問を文字で入力してください。", "Please type your question.", BotTexts.MenuButton(turn));
        return Task.CompletedTask;
    }
}
