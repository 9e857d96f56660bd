using FrontDesk.Knowledge.Search;

namespace FrontDesk.Knowledge.Tests.Answers;

public sealed class AnswerTypeTests
{
    [Theory]
    [InlineData("移住支援金はいくらもらえますか?", AnswerKind.Amount)]
    [InlineData("How much is the relocation support grant?", AnswerKind.Amount)]
    [InlineData("気仙沼ファンクラブには何人くらい登録してる?", AnswerKind.Number)]
    [InlineData("専門部会はいくつありますか", AnswerKind.Number)]
    [InlineData("移住支援金の申請はいつまでに?", AnswerKind.Deadline)]
    [InlineData("ワンストップ特例の申請期限は?", AnswerKind.Deadline)]
    [InlineData("二地域居住の法律はいつから施行?", AnswerKind.Date)]
    [InlineData("移住支援金のお金って、結局だれが出してるんですか", AnswerKind.Who)]
    [InlineData("区域外就学はどこに届け出ますか", AnswerKind.Place)]
    [InlineData("区域外就学とは何ですか", AnswerKind.Definition)]
    [InlineData("デュアルスクールって何ですか", AnswerKind.Definition)]
    [InlineData("特定居住支援法人ってどういうもの?", AnswerKind.Definition)]
    [InlineData("What is a dual school?", AnswerKind.Definition)]
    [InlineData("5つのテーマは?", AnswerKind.List)]
    [InlineData("どんな部会がある?", AnswerKind.List)]
    [InlineData("空き家バンクはどういう流れで使うの?", AnswerKind.Procedure)]
    [InlineData("移住支援金の条件は?", AnswerKind.Condition)]
    [InlineData("テレワークでも移住支援金を受けられますか", AnswerKind.Condition)]
    [InlineData("起業したら支援ある?", AnswerKind.YesNo)]
    [InlineData("デュアルスクールを使うとき、保護者は何を出すの?", AnswerKind.Other)]
    [InlineData("何か支援はありますか?", AnswerKind.YesNo)]
    [InlineData("空き家バンク オープンデータ ライセンス", AnswerKind.Other)]
    [InlineData("知事会が国に求めてることは?", AnswerKind.Other)]
    public void Questions_are_classified_by_the_kind_of_fact_they_ask_for(string question, AnswerKind kind) =>
        Assert.Equal(kind, AnswerType.Classify(question));

    [Theory]
    [InlineData("区域外就学は、住所のある市町村ではない、ほかの市町村などの学校に通うための手続きです。", true)]
    [InlineData("デュアルスクールは、徳島県が進めている取り組みです。", true)]
    [InlineData("承諾書を添えて、住所のある市町村の教育委員会に届け出る。", false)]
    public void A_defining_sentence_is_told_from_a_procedure_step(string sentence, bool defines) =>
        Assert.Equal(defines, AnswerType.IsDefinition(sentence));

    [Theory]
    [InlineData("(※2)5つの専門部会のテーマ:「負担軽減」「登録・地域関与」「担い手・人材」「教育」「保育」", true)]
    [InlineData("「負担軽減部会」、…を議論する「登録・地域関与部会」等、合わせて5つのテーマで専門部会を設置し", false)]
    public void A_line_naming_several_items_is_an_enumeration(string sentence, bool enumerates) =>
        Assert.Equal(enumerates, AnswerType.Enumerates(sentence));
}
