namespace FrontDesk.Bench;

/// <summary>Questions the project's own articles answer, so a bench measures real knowledge answers (no declines, no handoffs).</summary>
public static class BenchQuestions
{
    public static readonly IReadOnlyList<string> Answerable =
    [
        "移住支援金は世帯でいくらもらえますか？",
        "空き家バンクってどんな仕組み？",
        "区域外就学とは何ですか？",
        "保育園留学について教えてください",
        "ふるさと住民登録とは何ですか？",
        "お試し移住の交通費の補助はありますか？",
        "二地域居住の支援制度を教えてください",
        "テレワークで移住しても支援金はもらえますか？",
        "ふるさと納税とは何ですか？",
        "全国版の空き家バンクはありますか？",
    ];
}
