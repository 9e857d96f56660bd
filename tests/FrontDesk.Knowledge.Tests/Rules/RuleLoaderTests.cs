using FrontDesk.Knowledge.Rules;

namespace FrontDesk.Knowledge.Tests.Rules;

public sealed class RuleLoaderTests
{
    static readonly DateOnly Today = new(2026, 11, 23);

    public static string RepositoryRules => new RulesOptions().ResolveFolder(AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException("knowledge/content/rules not found above the test folder");

    const string National = """
        kind: national
        id: national
        name: 全国
        as_of: 2026-04-01
        fiscal_year: 2026
        sources:
          - id: src
            title: 出典
            as_of: 2026-04-01
            url: https://example.org/a
        schemes:
          - id: kuikigai
            topic: school
            name: 区域外就学
            for: 小中学生
            conditions:
              - key: school_year
                min: 1
                max: 9
                reason: 小中学生が対象
            steps: [相談する]
            documents: [申請書]
            lead_time: 早めに
            costs: 学校による
            contact: 教育委員会
            caveats: [教育委員会が決めます]
            sources: [src]
        programmes:
          - id: grant
            name: 支援金
            for: 移住する人
            conditions:
              - key: purpose
                in: [relocation]
                reason: 移住すること
            steps: [申請する]
            documents: [申請書]
            contact: 窓口
            caveats: [要確認]
            amounts:
              - fiscal_year: 2026
                items:
                  - {label: 世帯, max_yen: 1000000, per: household}
            link: https://example.org/grant
            sources: [src]
        """;

    const string Town = """
        kind: municipality
        id: town
        name: 見本町
        prefecture: 見本県
        as_of: 2026-04-01
        fiscal_year: 2026
        sources:
          - id: town-src
            title: 見本町の要綱
            as_of: 2025-04-01
            url: https://example.org/town
        programmes:
          - id: grant
            amounts:
              - fiscal_year: 2025
                items:
                  - {label: 世帯, max_yen: 500000, per: household}
            sources: [town-src]
        """;

    static RuleLoadResult Load(string national, string town = Town) =>
        RuleLoader.Load(new Dictionary<string, string> { ["national.yaml"] = national, ["municipalities/town.yaml"] = town }, Today);

    static int LineOf(string text, string snippet)
    {
        var index = text.IndexOf(snippet, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{snippet}' not in the test file");
        return text[..index].Count(c => c == '\n') + 1;
    }

    [Fact]
    public void The_repository_rule_files_are_valid_and_hold_three_or_more_sample_municipalities()
    {
        var result = RuleLoader.LoadFolder(RepositoryRules, Today);
        Assert.True(result.Book is not null, string.Join("\n", result.Errors));
        var book = result.Book!;
        Assert.True(book.Municipalities.Count >= 3);
        Assert.Equal(2026, book.FiscalYear);
        foreach (var id in new[] { "kuikigai", "shitei_henko", "taiken", "dual_school", "hoikuen_ryugaku", "ichiji_azukari", "ijushienkin" })
            Assert.Contains(book.National, i => i.Id == id);
        var programmes = book.Municipalities.SelectMany(m => book.ItemsFor(m.Id)).Where(i => i.Topic == RuleTopic.Support).Select(i => i.Id).ToHashSet();
        Assert.Superset(new HashSet<string> { "ijushienkin", "otameshi_jutaku", "telework_grant", "travel_support", "akiya_renovation" }, programmes);
        // Every item names its sources with an as-of date and a link; every programme has amounts by fiscal year and a link.
        Assert.All(book.Municipalities.SelectMany(m => book.ItemsFor(m.Id)), i => Assert.NotEmpty(i.Sources));
        Assert.All(programmes.Select(id => book.Municipalities.SelectMany(m => book.ItemsFor(m.Id)).First(i => i.Id == id)),
            p => Assert.True(p.Amounts.Count > 0 && p.Link is not null));
        // Details written for the demo say so.
        Assert.All(book.Municipalities.SelectMany(m => book.ItemsFor(m.Id)).Where(i => i.Municipality is not null && i.Topic == RuleTopic.Support),
            p => Assert.NotNull(p.Illustrative));
    }

    [Fact]
    public void A_municipality_entry_refines_the_national_one_field_by_field()
    {
        var result = Load(National);
        Assert.Empty(result.Errors);
        var grant = result.Book!.ItemsFor("town").Single(i => i.Id == "grant");
        Assert.Equal("移住すること", grant.Conditions.Single().Reason.Ja);
        Assert.Equal(500000, grant.Amounts.Single().Items.Single().MaxYen);
        Assert.Equal("town", grant.Municipality);
        Assert.Equal("見本町の要綱", grant.Sources.Single().Title);
        Assert.Equal(1000000, result.Book.ItemsFor(null).Single(i => i.Id == "grant").Amounts.Single().Items.Single().MaxYen);
    }

    public static TheoryData<string, string, string, string?> BrokenNational => new()
    {
        // text to replace, replacement, expected message, the text on the line the error must name (null: checked elsewhere)
        { "    documents: [申請書]\n    lead_time: 早めに\n", "    lead_time: 早めに\n", "scheme 'kuikigai' is missing field 'documents'", "  - id: kuikigai" },
        { "key: school_year", "key: age", "unknown condition key 'age'", "key: age" },
        { "as_of: 2026-04-01\nfiscal_year", "as_of: 2026-02-30\nfiscal_year", "date '2026-02-30' must be a real date", "as_of: 2026-02-30" },
        { "    as_of: 2026-04-01\n    url", "    as_of: 2027-01-05\n    url", "date 2027-01-05 is in the future", "as_of: 2027-01-05" },
        { "    sources: [src]\nprogrammes", "    sources: [nowhere]\nprogrammes", "unknown source 'nowhere'", "sources: [nowhere]" },
        { "in: [relocation]", "in: [holiday]", "'holiday' is not a value of 'purpose'", "in: [holiday]" },
        { "max: 9", "max: 20", "20 is outside the range of 'school_year'", "max: 20" },
        { "    steps: [申請する]", "    stpes: [申請する]", "unknown field 'stpes' in programme", "stpes:" },
        { "  - fiscal_year: 2026\n", "  - fiscal_year: 26\n", "fiscal_year '26' must be a year", "fiscal_year: 26" },
        { "max_yen: 1000000", "max_yen: -5", "max_yen '-5' must be a whole number", "max_yen: -5" },
        { "        reason: 移住すること\n", "", "condition is missing field 'reason'", "      - key: purpose" },
        { "min: 1\n        max: 9", "min: 9\n        max: 1", "min 9 is greater than max 1", "      - key: school_year" },
        { "    steps: [相談する]", "    steps: [相談する", "YAML syntax", null },
        { "      - key: purpose\n", "      - key: destination\n        in: [atlantis]\n        reason: 町\n      - key: purpose\n", "'atlantis' is not a municipality id", "in: [atlantis]" },
        { "link: https://example.org/grant", "link: ftp://example.org/grant", "link 'ftp://example.org/grant' is not an http(s) address", "link: ftp:" },
    };

    [Theory]
    [MemberData(nameof(BrokenNational))]
    public void A_broken_national_file_is_rejected_with_file_line_and_reason(string find, string replace, string message, string? line)
    {
        Assert.Contains(find, National);
        var broken = National.Replace(find, replace, StringComparison.Ordinal);
        var result = Load(broken);

        Assert.Null(result.Book);
        var error = Assert.Single(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal("national.yaml", error.File);
        Assert.True(error.Line > 0);
        if (line is not null)
            Assert.Equal(LineOf(broken, line), error.Line);
        Assert.StartsWith($"national.yaml:{error.Line}: ", error.ToString());
    }

    [Fact]
    public void A_missing_field_points_at_the_entry_that_lacks_it()
    {
        var broken = National.Replace("    contact: 窓口\n", "", StringComparison.Ordinal);
        var error = Assert.Single(Load(broken).Errors);
        Assert.Equal(LineOf(broken, "  - id: grant"), error.Line);
        Assert.Equal("programme 'grant' is missing field 'contact'", error.Message);
    }

    [Fact]
    public void Errors_in_several_files_are_all_reported_each_with_its_own_file()
    {
        var town = Town.Replace("prefecture: 見本県\n", "", StringComparison.Ordinal).Replace("as_of: 2025-04-01", "as_of: 2025-13-01", StringComparison.Ordinal);
        var result = Load(National.Replace("topic: school", "topic: sport", StringComparison.Ordinal), town);

        Assert.Null(result.Book);
        Assert.Contains(result.Errors, e => e.File == "national.yaml" && e.Message.Contains("topic must be school or childcare"));
        Assert.Contains(result.Errors, e => e.File == "municipalities/town.yaml" && e.Message == "missing field 'prefecture'" && e.Line == 1);
        Assert.Contains(result.Errors, e => e.File == "municipalities/town.yaml" && e.Line == LineOf(town, "as_of: 2025-13-01") && e.Message.StartsWith("date '2025-13-01'"));
    }

    [Fact]
    public void Two_national_files_or_none_are_refused()
    {
        var none = RuleLoader.Load(new Dictionary<string, string> { ["municipalities/town.yaml"] = Town }, Today);
        Assert.Contains(none.Errors, e => e.Message == "no file with kind: national");
        var two = RuleLoader.Load(new Dictionary<string, string> { ["a.yaml"] = National, ["b.yaml"] = National }, Today);
        Assert.Contains(two.Errors, e => e.File == "b.yaml" && e.Message == "more than one file with kind: national");
    }

    [Fact]
    public void An_empty_or_non_mapping_file_is_refused()
    {
        var result = RuleLoader.Load(new Dictionary<string, string> { ["national.yaml"] = National, ["empty.yaml"] = "" , ["list.yaml"] = "- a\n- b\n" }, Today);
        Assert.Contains(result.Errors, e => e.File == "empty.yaml" && e.Line == 1);
        Assert.Contains(result.Errors, e => e.File == "list.yaml" && e.Message.Contains("one YAML mapping"));
    }

    [Fact]
    public void Identical_files_have_the_same_hash_and_a_change_changes_it()
    {
        var a = Load(National).Book!;
        var b = Load(National).Book!;
        var c = Load(National.Replace("早めに", "1か月前までに", StringComparison.Ordinal)).Book!;
        Assert.Equal(a.Hash, b.Hash);
        Assert.NotEqual(a.Hash, c.Hash);
    }
}
