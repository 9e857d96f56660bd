using System.Globalization;
using FrontDesk.Knowledge.Rules;

namespace FrontDesk.Knowledge.Tests.Rules;

/// <summary>
/// Decision tables over the repository's rule files: for each situation, the schemes or programmes that likely fit,
/// those that may fit (something unknown), and one reason with its outcome. Everything else must come out unlikely.
/// </summary>
public sealed class RuleEvaluatorTests
{
    static readonly RuleBook Book = RuleLoader.LoadFolder(RuleLoaderTests.RepositoryRules, new DateOnly(2026, 11, 23)).Book
        ?? throw new InvalidOperationException("the repository rule files do not validate");

    static readonly RuleTopic[] SchoolTopics = [RuleTopic.School, RuleTopic.Childcare];
    static readonly RuleTopic[] SupportTopics = [RuleTopic.Support];

    public static TheoryData<string, string, string, string> SchoolCases => new()
    {
        // facts; likely; possible; reason as id:met|not|unknown:text
        { "school_year=3; current_area=tokyo23; destination=minami; stay_weeks=1..4; rhythm=repeated; keep_registration=yes; purpose=dual", "kuikigai taiken dual_school", "", "dual_school:met:徳島県" },
        { "school_year=3; current_area=tokyo23; destination=yurihama; stay_weeks=1..4; keep_registration=yes; purpose=dual", "kuikigai taiken", "", "dual_school:not:徳島県" },
        { "school_year=3; stay_weeks=1..4; keep_registration=yes", "kuikigai taiken", "dual_school", "dual_school:unknown:徳島県" },
        { "school_year=9; destination=minami; stay_weeks=1..4; keep_registration=yes", "kuikigai taiken", "", "dual_school:not:中学2年生" },
        { "school_year=3; destination=minami; stay_weeks=13..104; keep_registration=yes", "kuikigai dual_school", "", "taiken:not:数週間" },
        { "school_year=3; destination=minami; stay_weeks=13..104; keep_registration=no; purpose=relocation", "shitei_henko", "", "kuikigai:not:住民票を移さず" },
        { "school_year=3; destination=minami; stay_weeks=1..4", "", "kuikigai shitei_henko taiken dual_school", "kuikigai:unknown:住民票を移さず" },
        { "school_year=-1..0; destination=assabu; stay_weeks=1..4", "hoikuen_ryugaku ichiji_azukari", "", "hoikuen_ryugaku:met:0〜6歳" },
        { "school_year=0..1; destination=assabu; stay_weeks=1..4; keep_registration=yes", "", "kuikigai taiken hoikuen_ryugaku ichiji_azukari", "kuikigai:unknown:小学生・中学生" },
        { "school_year=3; destination=assabu; stay_weeks=0..1; keep_registration=yes", "kuikigai taiken", "", "hoikuen_ryugaku:not:0〜6歳" },
        { "school_year=-3..-2; destination=assabu; stay_weeks=0..1", "ichiji_azukari", "hoikuen_ryugaku", "hoikuen_ryugaku:unknown:1〜3週間" },
        { "school_year=-4..-3; destination=assabu; stay_weeks=13..104", "ichiji_azukari", "", "hoikuen_ryugaku:not:1〜3週間" },
        { "school_year=10; destination=minami; stay_weeks=1..4; keep_registration=yes", "", "", "kuikigai:not:小学生・中学生" },
        { "", "", "kuikigai shitei_henko taiken dual_school hoikuen_ryugaku ichiji_azukari", "shitei_henko:unknown:住民票を移し" },
        { "school_year=5; destination=kadogawa; stay_weeks=4..13; keep_registration=yes", "kuikigai", "taiken", "taiken:unknown:数週間" },
        { "school_year=8; destination=minami; keep_registration=yes", "kuikigai dual_school", "taiken", "dual_school:met:中学2年生" },
        { "school_year=1; destination=minami; keep_registration=no", "shitei_henko", "", "dual_school:not:住民票を移さずに通う" },
        { "school_year=4; destination=yurihama; stay_weeks=0..1; keep_registration=yes", "kuikigai taiken", "", "taiken:met:原則30日以内" },
        { "school_year=-2..-1; destination=assabu; stay_weeks=1..4; purpose=trial", "hoikuen_ryugaku ichiji_azukari", "", "hoikuen_ryugaku:met:1〜3週間" },
        { "school_year=7; current_area=tokyo_area; destination=minami; stay_weeks=1..4; keep_registration=yes", "kuikigai taiken dual_school", "", "dual_school:met:小学1年生から中学2年生" },
    };

    public static TheoryData<string, string, string, string> SupportCases => new()
    {
        { "current_area=tokyo23; commute=tokyo23; years_tokyo_total=7; years_tokyo_recent=3; work_plan=matching_job; destination=minami; children=2; purpose=relocation", "ijushienkin otameshi_jutaku", "", "ijushienkin:met:23区に住んでいるか" },
        { "current_area=tokyo_area; commute=tokyo23; years_tokyo_total=6; years_tokyo_recent=2; work_plan=telework; purpose=relocation", "ijushienkin", "", "ijushienkin:met:東京圏（条件不利地域を除く）から23区へ通勤" },
        { "current_area=tokyo_area; commute=elsewhere; years_tokyo_total=6; years_tokyo_recent=2; work_plan=telework; purpose=relocation", "", "", "ijushienkin:not:23区に住んでいるか" },
        { "current_area=other; commute=none; destination=assabu; purpose=trial", "travel_support", "", "travel_support:met:下見" },
        { "current_area=tokyo23; years_tokyo_total=3; years_tokyo_recent=3; work_plan=matching_job; purpose=relocation", "", "", "ijushienkin:not:通算5年以上" },
        { "current_area=tokyo23; years_tokyo_total=5; years_tokyo_recent=0; work_plan=matching_job; purpose=relocation", "", "", "ijushienkin:not:直近の1年以上" },
        { "current_area=tokyo23; work_plan=matching_job; purpose=relocation", "", "ijushienkin", "ijushienkin:unknown:通算5年以上" },
        { "current_area=tokyo23; commute=tokyo23; years_tokyo_total=10; years_tokyo_recent=10; work_plan=telework; destination=minami; purpose=dual", "telework_grant", "", "ijushienkin:not:5年以上住み続ける" },
        { "current_area=tokyo23; years_tokyo_total=8; years_tokyo_recent=8; work_plan=other; purpose=relocation", "", "", "ijushienkin:not:対象求人への就業" },
        { "current_area=tokyo23; years_tokyo_total=8; years_tokyo_recent=2; work_plan=matching_job; destination=kadogawa; purpose=relocation", "ijushienkin", "", "ijushienkin:met:5年以上住み続ける" },
        { "current_area=tokyo_area; years_tokyo_total=8; years_tokyo_recent=2; work_plan=matching_job; purpose=relocation", "", "ijushienkin", "ijushienkin:unknown:23区に住んでいるか" },
        { "destination=yurihama", "", "ijushienkin akiya_renovation", "akiya_renovation:unknown:二地域居住の拠点" },
        { "current_area=tokyo23; commute=tokyo23; years_tokyo_total=10; years_tokyo_recent=10; work_plan=telework; destination=yurihama; purpose=dual", "akiya_renovation", "", "akiya_renovation:met:二地域居住の拠点" },
        { "current_area=tokyo23; years_tokyo_total=8; years_tokyo_recent=8; work_plan=startup; destination=assabu; purpose=relocation", "ijushienkin travel_support", "", "ijushienkin:met:起業" },
        { "current_area=tokyo23; work_plan=telework; destination=minami; purpose=trial", "otameshi_jutaku telework_grant", "", "telework_grant:met:テレワーク" },
    };

    [Theory]
    [MemberData(nameof(SchoolCases))]
    public void School_and_childcare_schemes_that_fit_a_situation(string facts, string likely, string possible, string reason) =>
        Check(SchoolTopics, facts, likely, possible, reason);

    [Theory]
    [MemberData(nameof(SupportCases))]
    public void Support_programmes_that_fit_a_situation(string facts, string likely, string possible, string reason) =>
        Check(SupportTopics, facts, likely, possible, reason);

    static void Check(RuleTopic[] topics, string facts, string likely, string possible, string reason)
    {
        var evaluation = RuleEvaluator.Evaluate(Book, topics, Parse(facts));

        Assert.Equal(Words(likely), evaluation.Ids(Fit.Likely).Order());
        Assert.Equal(Words(possible), evaluation.Ids(Fit.Possible).Order());
        Assert.All(evaluation.Findings.Where(f => f.Fit == Fit.Unlikely), f => Assert.Contains(f.Reasons, r => r.Outcome == Outcome.NotMet));

        var parts = reason.Split(':', 3);
        var finding = Assert.Single(evaluation.Findings, f => f.Item.Id == parts[0]);
        var outcome = parts[1] switch { "met" => Outcome.Met, "not" => Outcome.NotMet, _ => Outcome.Unknown };
        Assert.Contains(finding.Reasons, r => r.Outcome == outcome && r.Text.Ja.Contains(parts[2], StringComparison.Ordinal));
    }

    static IEnumerable<string> Words(string list) => list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order();

    static RuleFacts Parse(string text)
    {
        var facts = new RuleFacts();
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (key, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
            if (FactKey.Find(key)!.Kind == FactKind.Choice)
                facts.Set(key, value);
            else if (value.IndexOf("..", StringComparison.Ordinal) is var dots and > 0)
                facts.Set(key, double.Parse(value[..dots], CultureInfo.InvariantCulture), double.Parse(value[(dots + 2)..], CultureInfo.InvariantCulture));
            else
                facts.Set(key, double.Parse(value, CultureInfo.InvariantCulture));
        }
        return facts;
    }

    [Fact]
    public void Amounts_are_given_for_the_fiscal_year_asked_or_the_latest_before_it_marked_as_not_exact()
    {
        var national = Book.ItemsFor(null).Single(i => i.Id == "ijushienkin").AmountsFor(2026)!.Value;
        Assert.True(national.Exact);
        Assert.Equal(600000, national.Amounts.Items.Single(a => a.Per == "single").MaxYen);

        var kadogawa = Book.ItemsFor("kadogawa").Single(i => i.Id == "ijushienkin").AmountsFor(2026)!.Value;
        Assert.False(kadogawa.Exact);
        Assert.Equal(2025, kadogawa.Amounts.FiscalYear);
        Assert.Equal(300000, kadogawa.Amounts.Items.Single(a => a.Per == "single").MaxYen);

        var renovation = Book.ItemsFor("yurihama").Single(i => i.Id == "akiya_renovation");
        Assert.Equal(400000, renovation.AmountsFor(2025)!.Value.Amounts.Items[0].MaxYen);
        Assert.Equal(500000, renovation.AmountsFor(2026)!.Value.Amounts.Items[0].MaxYen);
        Assert.Null(Book.ItemsFor(null).Single(i => i.Id == "kuikigai").AmountsFor(2026));
    }

    [Fact]
    public void A_destination_brings_its_own_contacts_and_sources()
    {
        var minami = Book.ItemsFor("minami").Single(i => i.Id == "kuikigai");
        Assert.Contains("美波町教育委員会", minami.Contact.Ja);
        Assert.Contains(minami.Sources, s => s.Url.Contains("town.minami.lg.jp", StringComparison.Ordinal));
        Assert.Equal(Book.ItemsFor(null).Single(i => i.Id == "kuikigai").Conditions.Select(c => c.Reason), minami.Conditions.Select(c => c.Reason));
        Assert.DoesNotContain(Book.ItemsFor(null), i => i.Id == "otameshi_jutaku");
    }

    [Theory]
    [InlineData("2026-04-01T00:00:00+09:00", 2026)]
    [InlineData("2026-03-31T23:59:00+09:00", 2025)]
    [InlineData("2027-03-31T20:00:00Z", 2027)] // already 1 April in Tokyo
    [InlineData("2026-12-31T12:00:00Z", 2026)]
    public void The_fiscal_year_starts_in_April_in_Tokyo(string at, int expected) =>
        Assert.Equal(expected, RuleEvaluator.FiscalYearOf(DateTimeOffset.Parse(at, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("美波町", "minami")]
    [InlineData("美波", "minami")]
    [InlineData("徳島県美波町です", "minami")]
    [InlineData("みなみちょう", "minami")]
    [InlineData("厚沢部", "assabu")]
    [InlineData("ゆりはま", "yurihama")]
    [InlineData("札幌市", null)]
    [InlineData("町", null)]
    public void Municipalities_are_found_by_name_or_alias(string typed, string? expected) =>
        Assert.Equal(expected, Book.FindMunicipality(typed)?.Id);
}
