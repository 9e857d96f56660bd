using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Questions;

namespace FrontDesk.Bot.Flows.Guidance;

/// <summary>Under a knowledge answer about schools, childcare or support programmes: the offer to start the guided flow.</summary>
public sealed class GuidanceFollowUp : AnswerFollowUp
{
    static readonly string[] SchoolWords = ["学校", "就学", "転校", "小学", "中学", "保育", "幼稚園", "こども園", "子ども", "子供", "体験入学", "デュアルスクール", "school", "nursery", "childcare", "kindergarten"];
    static readonly string[] SupportWords = ["支援金", "補助", "助成", "支援制度", "お試し", "交通費", "テレワーク", "ワーケーション", "改修", "grant", "subsid", "support"];

    public override IEnumerable<CardAction> For(TurnContext turn, string question)
    {
        var text = Phrases.Normalize(question);
        if (SchoolWords.Any(w => text.Contains(w, StringComparison.Ordinal)))
            yield return CardAction.Command(turn.T("学校・保育の案内を始める", "Start the school guide"), Commands.StartFlow, SchoolGuideFlow.FlowName);
        if (SupportWords.Any(w => text.Contains(w, StringComparison.Ordinal)))
            yield return CardAction.Command(turn.T("支援制度をさがす", "Find support"), Commands.StartFlow, SupportFinderFlow.FlowName);
    }
}
