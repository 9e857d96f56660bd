using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Registration;
using FrontDesk.Knowledge.Listings;

namespace FrontDesk.Bot.Tests.Registration;

/// <summary>Municipalities of interest as people type them, each checked against the gazetteer the listing search uses.</summary>
public sealed class MunicipalityInputTests
{
    static StepAnswer Read(string text) => RegistrationInput.Municipalities(text, PlaceGazetteer.BuiltIn());

    [Theory]
    [InlineData("松本市と軽井沢町、あと白馬", "松本市、軽井沢町、白馬村")]
    [InlineData("長野県松本市です", "松本市")]
    [InlineData("Matsumoto and Karuizawa", "松本市、軽井沢町")]
    [InlineData("松本　安曇野", "松本市、安曇野市")]
    [InlineData("松本市、松本", "松本市")]
    public void Several_names_in_one_sentence_become_their_official_names(string typed, string stored) =>
        Assert.Equal(stored, Read(typed).Value);

    [Theory]
    [InlineData("ほげほげ市", "「ほげほげ市」", new string[0])]
    [InlineData("軽井沢市", "「軽井沢市」", new[] { "軽井沢町" })]
    [InlineData("はくば", "「はくば」", new[] { "白馬村" })]
    [InlineData("長野", "「長野」", new[] { "長野市" })]
    [InlineData("松本市とほげほげ", "「ほげほげ」", new[] { "松本市" })]
    public void An_unknown_name_is_refused_with_the_corrections_the_gazetteer_offers(string typed, string quoted, string[] offered)
    {
        var answer = Read(typed);
        Assert.Null(answer.Value);
        Assert.Contains(quoted + "という市町村が見つかりませんでした", answer.Problem!.Ja);
        Assert.Equal(offered, answer.Suggestions);
    }

    [Fact]
    public void A_refusal_repeats_no_markup_and_four_names_are_too_many()
    {
        var answer = Read("[押す](javascript:alert(1))");
        Assert.DoesNotContain("(", answer.Problem!.Ja.Split('」')[0]);
        Assert.Contains("3つまで", Read("松本市、上田市、飯田市、諏訪市").Problem!.Ja);
    }
}
