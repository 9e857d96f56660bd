using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FrontDesk.Knowledge.Rules;

/// <summary>A problem in a rule file, with the file (relative to the rule folder) and the 1-based line.</summary>
public sealed record RuleError(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>The book when every file is valid, otherwise the errors; <see cref="Files"/> are the texts that were read.</summary>
public sealed record RuleLoadResult(RuleBook? Book, IReadOnlyList<RuleError> Errors, IReadOnlyDictionary<string, string> Files);

/// <summary>Reads the YAML rule files (see knowledge/RULES-NOTES.md) and checks them: fields, condition keys, dates, references.</summary>
public static partial class RuleLoader
{
    public const int MaxFileBytes = 512 * 1024;

    public static RuleLoadResult LoadFolder(string folder, DateOnly today)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
            return new(null, [new RuleError(folder, 0, "rule folder not found")], files);
        var errors = new List<RuleError>();
        var paths = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var name = Path.GetRelativePath(folder, path).Replace('\\', '/');
            if (new FileInfo(path).Length > MaxFileBytes)
                errors.Add(new RuleError(name, 0, $"larger than {MaxFileBytes} bytes"));
            else
                files[name] = File.ReadAllText(path, Encoding.UTF8);
        }
        return errors.Count > 0 ? new(null, errors, files) : Load(files, today);
    }

    public static RuleLoadResult Load(IReadOnlyDictionary<string, string> files, DateOnly today)
    {
        var reader = new Reader(today);
        var book = reader.Read(files);
        // A refined entry re-reads the national fields it inherits; their problems are reported once.
        return new(reader.Errors.Count == 0 ? book : null, reader.Errors.Distinct().ToList(), files);
    }

    public static string HashOf(IReadOnlyDictionary<string, string> files)
    {
        var text = new StringBuilder();
        foreach (var (name, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            text.Append(name).Append('\0').Append(content).Append('\0');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    readonly record struct Field(string File, YamlNode Node);

    sealed record RawFile(string Name, string Kind, string Id, YamlNode IdNode, RuleText Title, string? Prefecture, IReadOnlyList<string> Aliases,
        DateOnly AsOf, int FiscalYear, RuleText? Illustrative, Dictionary<string, RuleSource> Sources, List<RawItem> Items);

    sealed record RawItem(string File, string Section, string Id, int Line, Dictionary<string, Field> Fields);

    sealed partial class Reader(DateOnly today)
    {
        static readonly string[] FileKeys = ["kind", "id", "name", "prefecture", "aliases", "as_of", "fiscal_year", "illustrative", "sources", "schemes", "programmes"];
        static readonly string[] SchemeKeys = ["id", "topic", "name", "for", "conditions", "steps", "documents", "lead_time", "costs", "contact", "caveats", "sources", "illustrative"];
        static readonly string[] ProgrammeKeys = ["id", "name", "for", "conditions", "steps", "documents", "contact", "caveats", "sources", "amounts", "link", "illustrative"];
        static readonly string[] SchemeRequired = ["topic", "name", "for", "conditions", "steps", "documents", "lead_time", "costs", "contact", "caveats", "sources"];
        static readonly string[] ProgrammeRequired = ["name", "for", "conditions", "steps", "documents", "contact", "caveats", "sources", "amounts", "link"];
        static readonly string[] AmountPer = ["household", "single", "child", "person"];

        public List<RuleError> Errors { get; } = [];
        // Values of destination conditions, checked once every municipality is known.
        readonly List<(Field At, string Key, string Value)> places = [];

        void Error(string file, YamlNode? node, string message) => Errors.Add(new RuleError(file, node is null ? 1 : (int)node.Start.Line, message));
        void Error(Field f, string message) => Error(f.File, f.Node, message);

        public RuleBook? Read(IReadOnlyDictionary<string, string> files)
        {
            var raw = files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => ReadFile(f.Key, f.Value)).OfType<RawFile>().ToList();
            var nationals = raw.Where(r => r.Kind == "national").ToList();
            if (nationals.Count != 1)
            {
                Errors.Add(new RuleError(nationals.Count == 0 ? "(rules)" : nationals[1].Name, 1,
                    nationals.Count == 0 ? "no file with kind: national" : "more than one file with kind: national"));
                return null;
            }
            var national = nationals[0];
            var municipalities = raw.Where(r => r.Kind == "municipality").ToList();
            foreach (var dup in municipalities.GroupBy(m => m.Id).Where(g => g.Count() > 1).SelectMany(g => g.Skip(1)))
                Error(dup.Name, dup.IdNode, $"municipality id '{dup.Id}' is used by another file too");

            var ids = municipalities.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
            var prefectures = municipalities.Select(m => m.Prefecture!).ToHashSet(StringComparer.Ordinal);
            var nationalItems = national.Items.Select(i => Build(i.Fields, i, null, national.Sources, national.Sources)).OfType<RuleItem>().ToList();
            // A broken national entry is reported once, not again for each municipality that refines it.
            var broken = national.Items.Where(i => !nationalItems.Any(n => n.Id == i.Id)).Select(i => i.Id).ToHashSet();

            var byMunicipality = new Dictionary<string, IReadOnlyList<RuleItem>>(StringComparer.Ordinal);
            foreach (var m in municipalities)
            {
                var items = new List<RuleItem>(nationalItems);
                foreach (var item in m.Items.Where(i => !broken.Contains(i.Id)))
                {
                    var basis = national.Items.FirstOrDefault(n => n.Id == item.Id && n.Section == item.Section);
                    var fields = basis is null ? item.Fields : new Dictionary<string, Field>(basis.Fields);
                    if (basis is not null)
                        foreach (var (key, value) in item.Fields)
                            fields[key] = value;
                    if (Build(fields, item, m.Id, m.Sources, national.Sources) is not { } built)
                        continue;
                    var at = items.FindIndex(x => x.Id == built.Id);
                    if (at >= 0)
                        items[at] = built;
                    else
                        items.Add(built);
                }
                byMunicipality.TryAdd(m.Id, items);
            }

            foreach (var (at, key, value) in places)
            {
                var known = key == "destination" ? ids : prefectures;
                if (!known.Contains(value))
                    Error(at, $"condition {key}: '{value}' is not a municipality{(key == "destination" ? " id" : "'s prefecture")} defined in the rule files");
            }
            if (Errors.Count > 0)
                return null;
            var list = municipalities.Select(m => new Municipality(m.Id, m.Title, m.Prefecture!, m.Aliases, m.FiscalYear, m.AsOf, m.Illustrative, m.Name)).ToList();
            return new RuleBook(national.FiscalYear, national.AsOf, nationalItems, list, byMunicipality, HashOf(files));
        }

        RawFile? ReadFile(string name, string text)
        {
            YamlMappingNode root;
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(text));
                if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
                {
                    Errors.Add(new RuleError(name, 1, "a rule file must hold one YAML mapping (kind, id, name, ...)"));
                    return null;
                }
                root = mapping;
            }
            catch (YamlException e)
            {
                Errors.Add(new RuleError(name, (int)e.Start.Line, "YAML syntax: " + Clean(e.Message)));
                return null;
            }
            catch (InvalidOperationException)
            {
                // YamlDotNet gives up this way on some unterminated lists and mappings; it does not say where.
                Errors.Add(new RuleError(name, text.Count(c => c == '\n') + 1, "YAML syntax: the file ends inside an unclosed [ ] or { }"));
                return null;
            }

            var errorsBefore = Errors.Count;
            var fields = Fields(name, root, FileKeys, "file");
            var kind = RequiredScalar(name, root, fields, "kind");
            if (kind is not null and not ("national" or "municipality"))
                Error(fields["kind"], $"kind must be national or municipality, not '{kind}'");
            var id = RequiredScalar(name, root, fields, "id");
            if (id is not null && !IdPattern().IsMatch(id))
                Error(fields["id"], $"id '{id}' must be lower-case letters, digits, - or _");
            var title = fields.TryGetValue("name", out var n) ? Text(n) : Missing(name, root, "name");
            var asOf = fields.TryGetValue("as_of", out var a) ? Date(a) : MissingDate(name, root, "as_of");
            var fiscalYear = fields.TryGetValue("fiscal_year", out var fy) ? FiscalYear(fy) : MissingYear(name, root);
            string? prefecture = null;
            if (kind == "municipality")
                prefecture = RequiredScalar(name, root, fields, "prefecture");
            var aliases = fields.TryGetValue("aliases", out var al) ? Strings(al) : [];
            var illustrative = fields.TryGetValue("illustrative", out var il) ? Text(il) : null;

            var sources = new Dictionary<string, RuleSource>(StringComparer.Ordinal);
            if (fields.TryGetValue("sources", out var s))
            {
                foreach (var node in Sequence(s))
                    if (Source(new Field(name, node)) is { } source && !sources.TryAdd(source.Id, source))
                        Error(name, node, $"source id '{source.Id}' is listed twice");
            }
            else
                Error(name, root, "missing field 'sources'");

            var items = new List<RawItem>();
            foreach (var section in new[] { "schemes", "programmes" })
            {
                if (!fields.TryGetValue(section, out var list))
                    continue;
                foreach (var node in Sequence(list))
                {
                    if (node is not YamlMappingNode item)
                    {
                        Error(name, node, $"each entry of {section} must be a mapping");
                        continue;
                    }
                    var itemFields = Fields(name, item, section == "schemes" ? SchemeKeys : ProgrammeKeys, section == "schemes" ? "scheme" : "programme");
                    var itemId = RequiredScalar(name, item, itemFields, "id");
                    if (itemId is null)
                        continue;
                    if (!IdPattern().IsMatch(itemId))
                        Error(itemFields["id"], $"id '{itemId}' must be lower-case letters, digits, - or _");
                    if (items.Any(i => i.Id == itemId))
                        Error(itemFields["id"], $"id '{itemId}' is used twice in this file");
                    items.Add(new RawItem(name, section, itemId, (int)item.Start.Line, itemFields));
                }
            }
            if (Errors.Count > errorsBefore || kind is null || id is null || title is null || asOf is null || fiscalYear is null)
                return null;
            return new RawFile(name, kind, id, fields["id"].Node, title, prefecture, aliases, asOf.Value, fiscalYear.Value, illustrative, sources, items);
        }

        RuleItem? Build(Dictionary<string, Field> f, RawItem item, string? municipality, Dictionary<string, RuleSource> own, Dictionary<string, RuleSource> national)
        {
            var errorsBefore = Errors.Count;
            var scheme = item.Section == "schemes";
            foreach (var key in scheme ? SchemeRequired : ProgrammeRequired)
                if (!f.ContainsKey(key))
                    Errors.Add(new RuleError(item.File, item.Line, $"{(scheme ? "scheme" : "programme")} '{item.Id}' is missing field '{key}'"));
            if (Errors.Count > errorsBefore)
                return null;

            var topic = RuleTopic.Support;
            if (scheme)
            {
                switch (Scalar(f["topic"]))
                {
                    case "school": topic = RuleTopic.School; break;
                    case "childcare": topic = RuleTopic.Childcare; break;
                    default: Error(f["topic"], "topic must be school or childcare"); break;
                }
            }
            var sources = new List<RuleSource>();
            foreach (var node in Sequence(f["sources"]))
            {
                var reference = Scalar(new Field(f["sources"].File, node));
                if (reference is null)
                    continue;
                if (own.TryGetValue(reference, out var source) || national.TryGetValue(reference, out source))
                    sources.Add(source);
                else
                    Error(f["sources"].File, node, $"unknown source '{reference}' (list it under sources: at the top of the file)");
            }
            if (sources.Count == 0 && Errors.Count == errorsBefore)
                Error(f["sources"], "at least one source is needed");

            string? link = null;
            if (f.TryGetValue("link", out var l))
            {
                link = Scalar(l);
                if (link is not null && !IsHttpUrl(link))
                    Error(l, $"link '{link}' is not an http(s) address");
            }

            var built = new RuleItem
            {
                Id = item.Id,
                Topic = topic,
                Name = Text(f["name"]) ?? new RuleText(""),
                For = Text(f["for"]) ?? new RuleText(""),
                Conditions = Conditions(f["conditions"]),
                Steps = TextList(f["steps"]),
                Documents = TextList(f["documents"]),
                LeadTime = f.TryGetValue("lead_time", out var lt) ? Text(lt) : null,
                Costs = f.TryGetValue("costs", out var c) ? Text(c) : null,
                Contact = Text(f["contact"]) ?? new RuleText(""),
                Caveats = TextList(f["caveats"]),
                Sources = sources,
                Amounts = f.TryGetValue("amounts", out var am) ? Amounts(am) : [],
                Link = link,
                Illustrative = f.TryGetValue("illustrative", out var il) ? Text(il) : null,
                Municipality = municipality,
                File = item.File,
                Line = item.Line,
            };
            return Errors.Count > errorsBefore ? null : built;
        }

        IReadOnlyList<RuleCondition> Conditions(Field f)
        {
            var list = new List<RuleCondition>();
            foreach (var node in Sequence(f))
                if (Condition(new Field(f.File, node)) is { } condition)
                    list.Add(condition);
            return list;
        }

        RuleCondition? Condition(Field f)
        {
            if (f.Node is not YamlMappingNode map)
            {
                Error(f, "a condition must be a mapping with key and in, or min/max, and reason");
                return null;
            }
            var fields = Fields(f.File, map, ["key", "in", "min", "max", "any", "all", "reason"], "condition");
            var reason = fields.TryGetValue("reason", out var r) ? Text(r) : null;
            if (reason is null)
                Error(f, "condition is missing field 'reason' (what it asks for, in plain words)");
            var group = fields.TryGetValue("any", out var any) ? (Any: true, Node: any) : fields.TryGetValue("all", out var all) ? (Any: false, Node: all) : default;
            if (group.Node.Node is not null)
            {
                if (fields.ContainsKey("key") || (fields.ContainsKey("any") && fields.ContainsKey("all")))
                    Error(f, "a condition is either a group (any or all) or one key, not both");
                var children = Sequence(group.Node).Select(n => Condition(new Field(f.File, n))).ToList();
                if (children.Count == 0)
                    Error(group.Node, "a condition group needs at least one condition");
                return reason is null || children.Any(c => c is null) ? null : new GroupCondition(group.Any, children!, reason);
            }

            var key = fields.TryGetValue("key", out var k) ? Scalar(k) : null;
            if (key is null)
            {
                Error(f, "condition is missing field 'key' (or any/all)");
                return null;
            }
            var fact = FactKey.Find(key);
            if (fact is null)
            {
                Error(fields["key"], $"unknown condition key '{key}'; known keys: {string.Join(", ", FactKey.All.Select(x => x.Name))}");
                return null;
            }
            var values = new List<string>();
            double? min = null, max = null;
            if (fact.Kind == FactKind.Choice)
            {
                if (!fields.TryGetValue("in", out var inField))
                {
                    Error(f, $"condition on '{key}' needs 'in' (a list of values)");
                    return null;
                }
                if (fields.ContainsKey("min") || fields.ContainsKey("max"))
                    Error(f, $"'{key}' is not a number; use 'in'");
                foreach (var node in Sequence(inField))
                {
                    var value = Scalar(new Field(f.File, node));
                    if (value is null)
                        continue;
                    if (key is "destination" or "destination_prefecture")
                        places.Add((new Field(f.File, node), key, value));
                    else if (!fact.Values.Contains(value))
                        Error(f.File, node, $"'{value}' is not a value of '{key}'; use one of: {string.Join(", ", fact.Values)}");
                    values.Add(value);
                }
            }
            else
            {
                if (fields.ContainsKey("in"))
                    Error(fields["in"], $"'{key}' is a number; use min and/or max");
                min = fields.TryGetValue("min", out var mn) ? Number(mn, fact) : null;
                max = fields.TryGetValue("max", out var mx) ? Number(mx, fact) : null;
                if (!fields.ContainsKey("min") && !fields.ContainsKey("max"))
                    Error(f, $"condition on '{key}' needs min and/or max");
                if (min > max)
                    Error(f, $"min {min} is greater than max {max}");
            }
            return reason is null ? null : new FactCondition(key, values, min, max, reason);
        }

        double? Number(Field f, FactKey fact)
        {
            var text = Scalar(f);
            if (text is null)
                return null;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                Error(f, $"'{text}' is not a number");
                return null;
            }
            if (value < fact.Min || value > fact.Max)
                Error(f, $"{value} is outside the range of '{fact.Name}' ({fact.Min}..{fact.Max})");
            return value;
        }

        IReadOnlyList<FiscalYearAmounts> Amounts(Field f)
        {
            var list = new List<FiscalYearAmounts>();
            foreach (var node in Sequence(f))
            {
                var at = new Field(f.File, node);
                if (node is not YamlMappingNode map)
                {
                    Error(at, "each amount entry needs fiscal_year and items");
                    continue;
                }
                var fields = Fields(f.File, map, ["fiscal_year", "items"], "amounts entry");
                var year = fields.TryGetValue("fiscal_year", out var y) ? FiscalYear(y) : MissingYear(f.File, map);
                if (!fields.TryGetValue("items", out var itemsField))
                {
                    Error(at, "amounts entry is missing field 'items'");
                    continue;
                }
                var items = new List<RuleAmount>();
                foreach (var itemNode in Sequence(itemsField))
                {
                    if (itemNode is not YamlMappingNode itemMap)
                    {
                        Error(f.File, itemNode, "each amount needs label, max_yen and per");
                        continue;
                    }
                    var itemFields = Fields(f.File, itemMap, ["label", "max_yen", "per"], "amount");
                    var label = itemFields.TryGetValue("label", out var lb) ? Text(lb) : Missing(f.File, itemMap, "label");
                    var yenText = itemFields.TryGetValue("max_yen", out var yn) ? Scalar(yn) : MissingScalar(f.File, itemMap, "max_yen");
                    var per = itemFields.TryGetValue("per", out var pr) ? Scalar(pr) : MissingScalar(f.File, itemMap, "per");
                    if (per is not null && !AmountPer.Contains(per))
                        Error(itemFields["per"], $"per must be one of: {string.Join(", ", AmountPer)}");
                    if (yenText is not null && (!long.TryParse(yenText, NumberStyles.None, CultureInfo.InvariantCulture, out var yen) || yen <= 0))
                        Error(itemFields["max_yen"], $"max_yen '{yenText}' must be a whole number of yen above zero");
                    else if (label is not null && yenText is not null && per is not null)
                        items.Add(new RuleAmount(label, long.Parse(yenText, CultureInfo.InvariantCulture), per));
                }
                if (year is null)
                    continue;
                if (list.Any(a => a.FiscalYear == year))
                    Error(at, $"fiscal year {year} is listed twice");
                list.Add(new FiscalYearAmounts(year.Value, items));
            }
            if (list.Count == 0)
                Error(f, "amounts needs at least one fiscal year");
            return list;
        }

        RuleSource? Source(Field f)
        {
            if (f.Node is not YamlMappingNode map)
            {
                Error(f, "a source needs id, title, as_of and url");
                return null;
            }
            var fields = Fields(f.File, map, ["id", "title", "as_of", "url"], "source");
            var id = RequiredScalar(f.File, map, fields, "id");
            var title = RequiredScalar(f.File, map, fields, "title");
            var asOf = fields.TryGetValue("as_of", out var a) ? Date(a) : MissingDate(f.File, map, "as_of");
            var url = RequiredScalar(f.File, map, fields, "url");
            if (url is not null && !IsHttpUrl(url))
                Error(fields["url"], $"url '{url}' is not an http(s) address");
            return id is null || title is null || asOf is null || url is null ? null : new RuleSource(id, title, asOf.Value, url);
        }

        Dictionary<string, Field> Fields(string file, YamlMappingNode map, string[] allowed, string what)
        {
            var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                if (!allowed.Contains(key))
                    Error(file, keyNode, $"unknown field '{key}' in {what}; allowed: {string.Join(", ", allowed)}");
                else
                    fields[key] = new Field(file, value);
            }
            return fields;
        }

        IEnumerable<YamlNode> Sequence(Field f)
        {
            if (f.Node is YamlSequenceNode seq)
                return seq.Children;
            Error(f, "expected a list (lines starting with '- ')");
            return [];
        }

        RuleText? Text(Field f)
        {
            switch (f.Node)
            {
                case YamlScalarNode { Value: { Length: > 0 } v } when !string.IsNullOrWhiteSpace(v):
                    return new RuleText(v.Trim());
                case YamlMappingNode map:
                    var fields = Fields(f.File, map, ["ja", "en"], "text");
                    var ja = fields.TryGetValue("ja", out var j) ? Scalar(j) : null;
                    if (ja is null)
                    {
                        Error(f, "text needs 'ja' (and optionally 'en')");
                        return null;
                    }
                    return new RuleText(ja.Trim(), fields.TryGetValue("en", out var e) ? Scalar(e)?.Trim() : null);
                default:
                    Error(f, "expected text (a string, or ja: and en:)");
                    return null;
            }
        }

        IReadOnlyList<RuleText> TextList(Field f) =>
            Sequence(f).Select(n => Text(new Field(f.File, n))).OfType<RuleText>().ToList();

        IReadOnlyList<string> Strings(Field f) =>
            Sequence(f).Select(n => Scalar(new Field(f.File, n))).OfType<string>().ToList();

        string? Scalar(Field f)
        {
            if (f.Node is YamlScalarNode { Value: { } v } && !string.IsNullOrWhiteSpace(v))
                return v.Trim();
            Error(f, "expected a single value");
            return null;
        }

        DateOnly? Date(Field f)
        {
            var text = Scalar(f);
            if (text is null)
                return null;
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Error(f, $"date '{text}' must be a real date written YYYY-MM-DD");
                return null;
            }
            if (date.Year < 1990)
                Error(f, $"date {text} is before 1990");
            else if (date > today)
                Error(f, $"date {text} is in the future (an as-of date says when the information was checked)");
            return date;
        }

        int? FiscalYear(Field f)
        {
            var text = Scalar(f);
            if (text is null)
                return null;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 2000 || year > 2100)
            {
                Error(f, $"fiscal_year '{text}' must be a year such as 2026 (年度 starting in April)");
                return null;
            }
            return year;
        }

        string? RequiredScalar(string file, YamlNode at, Dictionary<string, Field> fields, string key) =>
            fields.TryGetValue(key, out var f) ? Scalar(f) : MissingScalar(file, at, key);

        string? MissingScalar(string file, YamlNode at, string key)
        {
            Error(file, at, $"missing field '{key}'");
            return null;
        }

        RuleText? Missing(string file, YamlNode at, string key)
        {
            Error(file, at, $"missing field '{key}'");
            return null;
        }

        DateOnly? MissingDate(string file, YamlNode at, string key)
        {
            Error(file, at, $"missing field '{key}'");
            return null;
        }

        int? MissingYear(string file, YamlNode at)
        {
            Error(file, at, "missing field 'fiscal_year'");
            return null;
        }

        static bool IsHttpUrl(string text) => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

        static string Clean(string message)
        {
            var close = message.IndexOf("): ", StringComparison.Ordinal);
            return close >= 0 ? message[(close + 3)..] : message;
        }

        [GeneratedRegex("^[a-z][a-z0-9_-]{0,62}$")]
        private static partial Regex IdPattern();
    }
}
