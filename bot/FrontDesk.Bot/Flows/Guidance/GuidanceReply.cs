using System.Globalization;
using System.Text;
using FrontDesk.Bot.Conversations;
using FrontDesk.Knowledge.Rules;

namespace FrontDesk.Bot.Flows.Guidance;

/// <summary>
/// The answer of a guided flow: what seems to fit and what needs checking, each with conditions, steps, documents,
/// whom to ask and sources (title, as-of date, link); amounts with their fiscal year; never a verdict.
/// </summary>
public static class GuidanceReply
{
    const int MaxCards = 8;
    const int MaxLinks = 2;

    public static void Show(TurnContext turn, RuleBook book, Evaluation evaluation, int fiscalYear, GuidanceFlow flow)
    {
        var shown = evaluation.Findings.Where(f => f.Fit != Fit.Unlikely).Take(MaxCards).ToList();
        var unlikely = evaluation.Findings.Where(f => f.Fit == Fit.Unlikely).ToList();
        var text = new StringBuilder();
        text.AppendLine(shown.Count > 0
            ? turn.T($"お答えから、当てはまりそうな制度をまとめました（{fiscalYear}年度のデータ、{book.AsOf.Year}年{book.AsOf.Month}月{book.AsOf.Day}日時点）。",
                $"Based on your answers, these may fit (data for fiscal {fiscalYear}, as of {book.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}).")
            : turn.T("お答えからは、当てはまりそうな制度が見つかりませんでした。ほかの方法がないか、相談員が一緒にお調べします。",
                "I found nothing that seems to fit your answers. A coordinator can look for other options with you."));
        text.AppendLine(turn.T(
            "これは目安です。利用できるかどうかは、教育委員会や各制度の窓口が最終的に判断します。",
            "This is guidance only: the board of education or the programme office makes the final decision."));
        if (unlikely.Count > 0)
        {
            text.AppendLine(turn.T("今回のお答えでは条件に合わない可能性があるもの:", "May not fit with these answers:"));
            foreach (var f in unlikely)
                text.AppendLine($"・{f.Item.Name.For(turn.Language)}（{f.Reasons.First(r => r.Outcome == Outcome.NotMet).Text.For(turn.Language).TrimEnd('。')}）");
        }
        if (evaluation.Destination is null)
            text.AppendLine(turn.T(
                $"移住先・滞在先が決まると、その市町村の制度もご案内できます（登録のある市町村: {string.Join("、", book.Municipalities.Select(m => m.Name.Ja))}）。",
                $"Once you know the destination, I can add its local programmes (available: {string.Join(", ", book.Municipalities.Select(m => m.Name.For("en")))})."));

        turn.Send(new Activity
        {
            Text = text.ToString().TrimEnd(),
            Layout = CardLayout.Carousel,
            Cards = shown.Select(f => Card(turn, f, fiscalYear)).ToList(),
            SuggestedActions =
            [
                CardAction.Command(turn.T("相談員に相談する", "Ask a coordinator"), GuidanceHandoff.CommandName, flow.ProfileName),
                CardAction.Command(turn.T("もう一度答える", "Answer again"), Commands.StartFlow, flow.Name),
                BotTexts.MenuButton(turn),
            ],
        });
    }

    static Card Card(TurnContext turn, Finding finding, int fiscalYear)
    {
        var item = finding.Item;
        var l = turn.Language;
        var text = new StringBuilder();
        text.AppendLine(item.For.For(l));
        Section(text, turn.T("条件", "Conditions"), finding.Reasons.Select(r => (r.Outcome == Outcome.Met ? "✓ " : "？ ") + r.Text.For(l)
            + (r.Outcome == Outcome.Unknown ? turn.T("（要確認）", " (to check)") : "")));
        Section(text, turn.T("手続の流れ", "Steps"), item.Steps.Select((s, i) => $"{i + 1}. {s.For(l)}"));
        Section(text, turn.T("必要な書類", "Documents"), item.Documents.Select(d => "・" + d.For(l)));
        if (item.LeadTime is { } lead)
            Section(text, turn.T("期間の目安", "Lead time"), [lead.For(l)]);
        if (item.Costs is { } costs)
            Section(text, turn.T("費用", "Costs"), [costs.For(l)]);
        if (item.AmountsFor(fiscalYear) is { } amounts)
        {
            var heading = amounts.Exact
                ? turn.T($"金額（{amounts.Amounts.FiscalYear}年度）", $"Amounts (fiscal {amounts.Amounts.FiscalYear})")
                : turn.T($"金額（{amounts.Amounts.FiscalYear}年度の額。{fiscalYear}年度の額は未確認）", $"Amounts (fiscal {amounts.Amounts.FiscalYear}; fiscal {fiscalYear} not confirmed)");
            Section(text, heading, amounts.Amounts.Items.Select(a => $"・{a.Label.For(l)}: {a.MaxYen.ToString("N0", CultureInfo.InvariantCulture)}{turn.T("円", " yen")}"));
        }
        Section(text, turn.T("確認先", "Whom to ask"), [item.Contact.For(l)]);
        Section(text, turn.T("注意", "Notes"), item.Caveats.Select(c => "・" + c.For(l)));
        if (item.Illustrative is { } illustrative)
            text.AppendLine("※ " + illustrative.For(l));
        Section(text, turn.T("出典", "Sources"), item.Sources.Select(s => "・" + s.Title + turn.T(
            $"（{s.AsOf.Year}年{s.AsOf.Month}月{s.AsOf.Day}日時点）", $" (as of {s.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})")));

        var links = (item.Link is null ? [] : new[] { item.Link }).Concat(item.Sources.Select(s => s.Url)).Distinct().Take(MaxLinks);
        return new Card
        {
            Title = item.Name.For(l),
            Subtitle = finding.Fit == Fit.Likely ? turn.T("当てはまりそう", "Likely to fit") : turn.T("確認が必要", "Needs checking"),
            Text = text.ToString().TrimEnd(),
            Buttons = links.Select((url, i) => CardAction.Link(turn.T($"出典・詳細を開く（{i + 1}）", $"Open source ({i + 1})"), url)).ToList(),
        };
    }

    static void Section(StringBuilder text, string heading, IEnumerable<string> lines)
    {
        text.Append('【').Append(heading).AppendLine("】");
        foreach (var line in lines)
            text.AppendLine(line);
    }
}
