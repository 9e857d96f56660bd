using System.Globalization;
using FrontDesk.Bot.Conversations;
using FrontDesk.Knowledge.Answers;
using FrontDesk.Knowledge.Search;
using FrontDesk.Knowledge.Text;

namespace FrontDesk.Bot.Flows.Questions;

/// <summary>
/// Free text outside any flow is a question for the knowledge base: a short answer taken from the sources, with the
/// sources named; below the calibrated confidence, an honest 「分かりません」 and the offer of a coordinator.
/// An elliptical follow-up (「それっていくら？」) is read with the previous question's topic.
/// </summary>
public sealed class FreeTextHandler(QuestionAnswering answering, KnowledgeIndex index, IntentCatalog catalog, IEnumerable<TextIntent> intents, IEnumerable<AnswerFollowUp> followUps)
{
    readonly IReadOnlyList<TextIntent> intents = intents.OrderBy(i => i.Order).ToList();
    readonly IReadOnlyList<AnswerFollowUp> followUps = followUps.ToList();

    const int MaxLinks = 3;
    const int MaxRememberedChars = 300;

    public async Task HandleAsync(TurnContext turn, CancellationToken ct)
    {
        var question = turn.Inbound.Kind == ActivityKind.Message ? turn.Inbound.Text ?? "" : "";
        foreach (var intent in intents)
            if (await intent.TryHandleAsync(turn, question, ct))
                return;
        // 「こんにちは。移住支援金は…」: the greeting is not part of the question.
        Answer(turn, catalog.Current.WithoutSmallTalk(question));
    }

    /// <summary>Answers the question when the sources can; otherwise says nothing and returns false (a flow then reads it as its input).</summary>
    public bool TryAnswer(TurnContext turn, string question) => Answer(turn, catalog.Current.WithoutSmallTalk(question), declineAloud: false);

    bool Answer(TurnContext turn, string question, bool declineAloud = true)
    {
        var reading = Read(turn, question);
        var answer = answering.Ask(reading.SearchText);
        if (answer.Declined && !declineAloud)
            return false;
        var text = reading.SearchText.Length <= MaxRememberedChars ? reading.SearchText
            : reading.SearchText[..(char.IsHighSurrogate(reading.SearchText[MaxRememberedChars - 1]) ? MaxRememberedChars - 1 : MaxRememberedChars)];
        turn.State.LastQuestion = new LastQuestion(text, answer.Citations.FirstOrDefault()?.DocumentId ?? reading.PreviousDocument,
            turn.State.Turns - reading.TopicAge);
        var contact = CardAction.Command(turn.T("相談員と話す", "Talk to a coordinator"), Commands.Contact);
        var more = followUps.SelectMany(f => f.For(turn, question)).ToList();
        if (answer.Declined)
        {
            turn.State.ConsecutiveDeclines++;
            turn.Say(
                "申し訳ありません、分かりません。このご質問にお答えできる確かな情報が、手元の資料に見つかりませんでした。\n" +
                "言い方を変えてお尋ねいただくか、二地域居住コーディネーター（相談員）にご相談ください。",
                "Sorry, I don't know. I could not find reliable information on that in our materials.\n" +
                "Please try asking in other words, or talk to one of our dual-residence coordinators.",
                [.. more, contact, BotTexts.MenuButton(turn)]);
            return true;
        }

        turn.State.ConsecutiveDeclines = 0;
        var sources = answer.Citations.Select(c => "・" + Describe(turn, c)).ToList();
        // The sentences come display-ready (list markers, indentation); an English question answered from Japanese
        // sources says so first.
        var lead = answer.Language == "en" && answer.Sentences.Count > 0 && TextLanguage.Detect(answer.Sentences[0]) == TextLanguage.Japanese
            ? ["The source is in Japanese; here is what it says:"]
            : Array.Empty<string>();
        turn.Send(new Activity
        {
            Text = string.Join('\n', lead.Concat(answer.Sentences)),
            Cards =
            [
                new Card
                {
                    Title = turn.T("出典", "Sources"),
                    Text = string.Join('\n', sources) + "\n" + turn.T(
                        "制度の内容や金額は年度や自治体によって変わります。最新の情報は各窓口でご確認ください。",
                        "Rules and amounts change by fiscal year and municipality; please confirm with the office concerned."),
                    Buttons = answer.Citations
                        .Where(c => Uri.TryCreate(c.Source, UriKind.Absolute, out var u) && u.Scheme is "https" or "http")
                        .Select(c => c.Source!).Distinct().Take(MaxLinks)
                        .Select((url, i) => CardAction.Link(turn.T($"出典を開く（{i + 1}）", $"Open source ({i + 1})"), url))
                        .ToList(),
                },
            ],
            SuggestedActions = [.. more, contact, BotTexts.MenuButton(turn)],
        });
        return true;
    }

    FollowUpReading Read(TurnContext turn, string question)
    {
        var context = turn.State.LastQuestion is { } last
            ? new FollowUpContext(last.Text, last.DocumentId, turn.State.Turns - last.Turn)
            : null;
        using var lease = index.Acquire();
        return FollowUps.Read(question, context, lease.Snapshot);
    }

    static string Describe(TurnContext turn, Citation c)
    {
        var section = c.Section.Length > 0 && c.Section != c.Title ? turn.T($"「{c.Section}」", $" - {c.Section}") : "";
        var asOf = c.AsOf is { } d
            ? turn.T($"（{d.Year}年{d.Month}月{d.Day}日時点）", $" (as of {d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})")
            : "";
        return c.Title + section + asOf;
    }
}
