using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Guidance;
using FrontDesk.Bot.Flows.Menu;

namespace FrontDesk.Bot.Flows.Topics;

/// <summary>
/// The rich-menu and kiosk tiles for topics: a short description, the guided flow where the topic has one, and
/// example questions the knowledge base can answer with sources.
/// </summary>
public sealed class TopicInterruption(MainMenu menu) : Interruption
{
    public const string CommandName = "topic";

    public override string Command => CommandName;
    public override IReadOnlyList<string> Triggers { get; } = [];

    /// <summary>A topic tile; <paramref name="Guide"/> is a guided flow offered first, when the topic has one.</summary>
    sealed record Topic(LocalText Description, LocalText[] Examples, (LocalText Label, string Flow)? Guide = null);

    static readonly Dictionary<string, Topic> Topics = new(StringComparer.Ordinal)
    {
        ["support"] = new(
            new("移住・二地域居住の支援についてご案内します。移住支援金や、お試し移住の交通費の補助など、国や自治体の制度があります。「支援制度をさがす」でいくつかの質問に答えると、当てはまりそうな制度をご案内します。気になることを、そのまま質問として入力することもできます。",
                "Here is how we support moving to the region or living in two places: relocation grants, help with travel for trial stays and more. \"Find support\" asks a few questions and lists what may fit; you can also just type your question."),
            [new("移住支援金はいくらもらえますか？", "How much is the relocation grant?"), new("二地域居住の支援制度を教えてください", "What support is there for dual residence?")],
            (new("支援制度をさがす", "Find support"), SupportFinderFlow.FlowName)),
        ["akiya"] = new(
            new("空き家バンクは、市町村が地域の空き家の情報を集めて紹介する仕組みです。物件を探すなら、地域や予算などの希望をそのまま入力してください（例: 「長野で月5万円以下の賃貸」）。仕組みや利用の流れについての質問にもお答えします。",
                "Vacant-house banks (空き家バンク) are lists of empty homes that municipalities publish. To search listings, type what you are looking for (for example \"rent a house in Nagano under 50,000 yen\"). I can also explain how the banks work."),
            [new("空き家バンクの物件を探したい", "Search vacant-house listings"), new("長野で月5万円以下の賃貸", "rent a house in Nagano under 50,000 yen"), new("空き家バンクってどんな仕組み？", "How does the vacant-house bank work?")]),
        ["school"] = new(
            new("お子さんの学校や保育についてご案内します。二地域居住中の通学（区域外就学など）や、保育園の一時利用などについて、「学校・保育の案内を始める」でいくつかの質問に答えると、当てはまりそうな制度をご案内します。知りたいことを、そのまま入力することもできます。",
                "Here is help with schools and childcare, such as schooling while living in two places or short childcare stays. \"Start the school guide\" asks a few questions and lists what may fit; you can also just type your question."),
            [new("区域外就学とは何ですか？", "What is schooling outside the home district?"), new("保育園留学について教えてください", "Tell me about childcare stays")],
            (new("学校・保育の案内を始める", "Start the school guide"), SchoolGuideFlow.FlowName)),
        ["furusato"] = new(
            new("ふるさと住民登録は、住んでいない地域とも継続的に関わる人を登録する、国が準備中の新しい制度です。ここでは当県独自の事前登録（関心登録）を受け付けています。「ふるさと住民登録をする」で登録できます。知りたいことがあれば入力してください。",
                "Furusato resident registration is a new national scheme in preparation for people who keep ties with a region they do not live in. Here you can pre-register your interest with this prefecture: choose \"Register\". Or type your question."),
            [new("ふるさと住民登録をする", "Register"), new("ふるさと住民登録とは何ですか？", "What is furusato resident registration?")]),
    };

    public override Task RunAsync(TurnContext turn, CancellationToken ct)
    {
        var value = turn.Inbound.Kind == ActivityKind.Command ? turn.Inbound.Value : null;
        if (value is null || !Topics.TryGetValue(value, out var topic))
        {
            menu.Show(turn);
            return Task.CompletedTask;
        }
        var guide = topic.Guide is { } g ? [CardAction.Command(turn.T(g.Label), Commands.StartFlow, g.Flow)] : Array.Empty<CardAction>();
        turn.Say(topic.Description, [.. guide, .. topic.Examples.Select(e => CardAction.Say(turn.T(e))), BotTexts.MenuButton(turn)]);
        return Task.CompletedTask;
    }
}
