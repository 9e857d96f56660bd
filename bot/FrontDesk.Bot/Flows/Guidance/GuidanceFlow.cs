using System.Globalization;
using FrontDesk.Bot.Conversations;
using FrontDesk.Knowledge.Rules;

namespace FrontDesk.Bot.Flows.Guidance;

/// <summary>
/// A guided conversation over the rule data: a few questions (「わからない」 always allowed, 「戻る」 and 「修正する」 as in
/// every form), then what seems to fit with steps, documents, whom to ask and sources. Never a verdict: the office
/// concerned decides, and the answer offers a coordinator with the answers attached.
/// </summary>
public abstract class GuidanceFlow(RuleBookProvider rules) : FormFlow
{
    /// <summary>A guide asks about a situation, not personal data: small talk and office facts get their own reply.</summary>
    public override bool GivesWayTo(Intent intent) => true;

    /// <summary>Where the answers and the result are kept for a coordinator: guide.{ProfileName}.*.</summary>
    public abstract string ProfileName { get; }
    protected abstract IReadOnlyCollection<RuleTopic> Topics { get; }
    protected abstract IReadOnlyList<FormStep> StepsFor(RuleBook book);
    protected abstract RuleFacts FactsFrom(FlowFrame frame);

    protected override IReadOnlyList<FormStep> Steps => StepsFor(rules.Current ?? throw new InvalidOperationException("rules not loaded"));

    public override async Task StartAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        if (await ReadyAsync(turn, frame, ct))
            await base.StartAsync(turn, frame, ct);
    }

    public override async Task ContinueAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        if (await ReadyAsync(turn, frame, ct))
            await base.ContinueAsync(turn, frame, ct);
    }

    public override async Task ResumeAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        if (await ReadyAsync(turn, frame, ct))
            await base.ResumeAsync(turn, frame, ct);
    }

    /// <summary>False (and the flow ends with an apology) when no valid rules are available on this host.</summary>
    async Task<bool> ReadyAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        if (await rules.GetAsync(ct) is not null)
            return true;
        End(turn, frame);
        turn.Say("申し訳ありません。ただいま制度の案内を準備中です。相談員が直接ご案内します。",
            "Sorry, this guide is not available right now. A coordinator can help you directly.",
            CardAction.Command(turn.T("相談員と話す", "Talk to a coordinator"), Commands.Contact), BotTexts.MenuButton(turn));
        return false;
    }

    protected override Task CompleteAsync(TurnContext turn, FlowFrame frame, IReadOnlyDictionary<string, string> answers, CancellationToken ct)
    {
        var book = rules.Current!;
        var evaluation = RuleEvaluator.Evaluate(book, Topics, FactsFrom(frame));
        var fiscalYear = RuleEvaluator.FiscalYearOf(turn.Now);
        Remember(turn, frame, evaluation);
        GuidanceReply.Show(turn, book, evaluation, fiscalYear, this);
        return Task.CompletedTask;
    }

    /// <summary>The answers as the user saw them and what came out, for the coordinator's console.</summary>
    void Remember(TurnContext turn, FlowFrame frame, Evaluation evaluation)
    {
        var prefix = $"guide.{ProfileName}.";
        foreach (var key in turn.State.Profile.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            turn.State.Profile.Remove(key);
        // In Japanese whatever the user's language, as the console shows it.
        var ja = new TurnContext(turn.Address, turn.Inbound, new ConversationState { Language = "ja" }, turn.Now);
        foreach (var step in Steps)
            turn.State.Profile[prefix + "answer." + step.Label.Ja] = Display(ja, step, frame.Values.GetValueOrDefault(step.Key));
        turn.State.Profile[prefix + "likely"] = string.Join("、", evaluation.Findings.Where(f => f.Fit == Fit.Likely).Select(f => f.Item.Name.Ja));
        turn.State.Profile[prefix + "possible"] = string.Join("、", evaluation.Findings.Where(f => f.Fit == Fit.Possible).Select(f => f.Item.Name.Ja));
        turn.State.Profile[prefix + "at"] = turn.Now.ToString("O", CultureInfo.InvariantCulture);
    }

    protected static FormStep AreaStep(LocalText question) => new()
    {
        Key = "current_area",
        Label = new("今のお住まい", "Where you live now"),
        Question = question,
        AllowUnknown = true,
        Choices =
        [
            new Choice("tokyo23", new("東京23区", "Tokyo's 23 wards")),
            new Choice("tokyo_area", new("東京圏（23区以外）", "Tokyo area (outside the 23 wards)")),
            new Choice("other", new("それ以外の地域", "Elsewhere")),
        ],
        Parse = Phrasebook(
            ("other", ["東京圏外", "東京圏以外", "それ以外", "大阪", "名古屋", "elsewhere", "other"]),
            ("tokyo_area", ["23区以外", "23区外", "東京圏", "多摩", "埼玉", "千葉", "神奈川", "横浜", "川崎", "さいたま", "tokyo area", "saitama", "chiba", "kanagawa", "yokohama"]),
            ("tokyo23", ["23区", "二十三区", "区内", "23 wards"])),
    };

    /// <summary>Reads typed text by phrases, the longest phrase found winning, so 「23区以外」 is not read as 「23区」.</summary>
    protected static Func<string, StepAnswer> Phrasebook(params (string Value, string[] Phrases)[] entries) => input =>
    {
        var typed = Phrases.Normalize(input);
        var best = entries
            .SelectMany(e => e.Phrases.Select(p => (e.Value, Phrase: Phrases.Normalize(p))))
            .Where(x => typed.Contains(x.Phrase, StringComparison.Ordinal))
            .OrderByDescending(x => x.Phrase.Length)
            .FirstOrDefault();
        return best.Value is { } value ? StepAnswer.Accept(value) : StepAnswer.Reject(new("選択肢からお選びください。", "Please pick one of the options."));
    };

    protected static FormStep DestinationStep(RuleBook book, LocalText question) => new()
    {
        Key = "destination",
        Label = new("移住先・滞在先", "Destination"),
        Question = question,
        AllowUnknown = true,
        Choices = book.Municipalities.Select(m => new Choice(m.Id, new LocalText($"{m.Name.Ja}（{m.Prefecture}）", m.Name.En ?? m.Name.Ja))).ToList(),
        Parse = input => book.FindMunicipality(input) is { } found
            ? StepAnswer.Accept(found.Id)
            : StepAnswer.Reject(new(
                $"「{Phrases.Quote(input)}」の情報は、まだこの案内に登録されていません。一覧から選ぶか、「わからない」を選んでください。登録のない市町村は、相談員がお調べします。",
                $"I have no information on \"{Phrases.Quote(input)}\" yet. Please pick a place from the list or choose \"Not sure\"; a coordinator can look up other places.")),
    };

    protected static FormStep PurposeStep(LocalText question) => new()
    {
        Key = "purpose",
        Label = new("目的", "Purpose"),
        Question = question,
        AllowUnknown = true,
        Choices =
        [
            new Choice("dual", new("二地域居住", "Living in two places"), "二拠点", "二地域", "デュアル", "two places", "dual"),
            new Choice("trial", new("お試し・下見", "A trial stay"), "お試し", "下見", "体験", "trial"),
            new Choice("relocation", new("移住", "Moving for good"), "移住", "引っ越し", "move", "relocat"),
        ],
    };

    protected static void SetChoice(RuleFacts facts, FlowFrame frame, string key)
    {
        if (frame.Values.GetValueOrDefault(key) is { } value && value != UnknownValue)
            facts.Set(key, value);
    }

    protected static void SetCount(RuleFacts facts, FlowFrame frame, string key)
    {
        if (frame.Values.GetValueOrDefault(key) is { } value && int.TryParse(value, CultureInfo.InvariantCulture, out var n))
            facts.Set(key, n);
    }
}
