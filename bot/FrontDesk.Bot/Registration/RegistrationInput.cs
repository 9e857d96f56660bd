using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FrontDesk.Bot.Conversations;
using FrontDesk.Knowledge.Listings;

namespace FrontDesk.Bot.Registration;

/// <summary>Reads what people type into the registration form: full-width digits, hyphens of every kind, hiragana or katakana.</summary>
public static partial class RegistrationInput
{
    public const int MaxNameLength = 40;
    public const int MaxAddressLength = 80;
    public const int MaxMunicipalities = 3;

    public readonly record struct Result(string? Value, LocalText? Problem)
    {
        public static Result Ok(string value) => new(value, null);
        public static Result No(string ja, string en) => new(null, new LocalText(ja, en));
    }

    /// <summary>NFKC (full-width digits and letters to ASCII, half-width kana to full-width), every dash to '-', spaces collapsed.</summary>
    public static string Fold(string text)
    {
        var s = text.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            sb.Append(c is '‐' or '‑' or '‒' or '–' or '—' or '―' or '−' or 'ー' or '－' or 'ｰ' && IsDashContext(s) ? '-' : c);
        return Spaces().Replace(sb.ToString(), " ").Trim();
    }

    // 'ー' is a dash only between digits (a phone or postal code typed in kana mode), never inside a name.
    static bool IsDashContext(string s) => s.Count(char.IsAsciiDigit) >= 3;

    public static Result Name(string input)
    {
        var text = Spaces().Replace(input.Normalize(NormalizationForm.FormKC), " ").Trim();
        if (text.Length == 0)
            return Result.No("お名前を入力してください。", "Please type your name.");
        if (text.Length > MaxNameLength)
            return Result.No($"お名前は{MaxNameLength}文字以内で入力してください。", $"Please keep your name under {MaxNameLength} characters.");
        if (!text.All(IsNameChar))
            return Result.No("お名前には、漢字・かな・英字だけを使ってください（絵文字や記号は使えません）。",
                "Please use only letters, kanji and kana in your name (no emoji or symbols).");
        if (text.Any(char.IsAsciiDigit))
            return Result.No("お名前に数字は使えません。", "Names cannot contain digits.");
        return Result.Ok(text);
    }

    static bool IsNameChar(char c) =>
        char.IsLetter(c) && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.OtherLetter or UnicodeCategory.ModifierLetter
        || c is ' ' or '・' or '々' or 'ー' or '-' or '\'' or '.';

    /// <summary>Hiragana or katakana (any width) in, full-width katakana out.</summary>
    public static Result Kana(string input)
    {
        var text = Spaces().Replace(input.Normalize(NormalizationForm.FormKC), " ").Trim();
        if (text.Length == 0 || text.Length > MaxNameLength)
            return Result.No($"フリガナを{MaxNameLength}文字以内で入力してください。", $"Please type the reading in kana, up to {MaxNameLength} characters.");
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is >= 'ぁ' and <= 'ゖ')
                sb.Append((char)(c + 0x60));
            else if (c is >= 'ァ' and <= 'ヺ' or 'ー' or ' ' or '・' or 'ヽ' or 'ヾ')
                sb.Append(c);
            else
                return Result.No("フリガナは、ひらがなかカタカナで入力してください（例: やまだ はなこ）。",
                    "Please type the reading in hiragana or katakana (for example: やまだ はなこ).");
        }
        return Result.Ok(sb.ToString());
    }

    public static Result Email(string input)
    {
        var text = input.Normalize(NormalizationForm.FormKC).Trim().Replace('＠', '@');
        if (text.Length > 254)
            return Result.No("メールアドレスが長すぎます。", "That e-mail address is too long.");
        if (EmailShape().IsMatch(text))
            return Result.Ok(text);
        if (Phone(text).Value is not null)
            return Result.No("電話番号のようです。ここにはメールアドレスを入力してください。お持ちでなければ「なし」を選べます。電話番号は次にお聞きします。",
                "That looks like a phone number. Please type an e-mail address here, or choose \"None\". I will ask for a phone number next.");
        return Result.No("メールアドレスの形になっていないようです（例: hanako@example.jp）。", "That does not look like an e-mail address (for example: hanako@example.jp).");
    }

    /// <summary>A Japanese phone number: 10 or 11 digits starting with 0, or +81; any hyphens, spaces, brackets or full-width digits.</summary>
    public static Result Phone(string input)
    {
        var text = Fold(input);
        if (text.Length > 30)
            return Result.No("電話番号が長すぎます。", "That phone number is too long.");
        var digits = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
                digits.Append(c);
            else if (c == '+' && i == 0)
                digits.Append('+');
            else if (c is not ('-' or ' ' or '(' or ')'))
                return Result.No("電話番号は数字で入力してください（例: 090-1234-5678）。", "Please type the phone number in digits (for example: 090-1234-5678).");
        }
        var number = digits.ToString();
        if (number.StartsWith("+81", StringComparison.Ordinal))
            number = "0" + number[3..].TrimStart('0');
        if (number.Length is 10 or 11 && number[0] == '0' && number[1] != '0')
            return Result.Ok(number);
        return Result.No("電話番号の桁数が合わないようです。市外局番から10〜11桁で入力してください。", "That number has the wrong length. Please give all 10 or 11 digits, with the area code.");
    }

    public static Result PostalCode(string input)
    {
        var text = Fold(input).TrimStart('〒').Trim();
        var digits = text.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length == 7 && digits.All(char.IsAsciiDigit))
            return Result.Ok(digits);
        return Result.No("郵便番号は7桁の数字で入力してください（例: 390-0874）。", "Please type the 7-digit postal code (for example: 390-0874).");
    }

    public static Result Address(string input)
    {
        var text = Spaces().Replace(input.Normalize(NormalizationForm.FormKC), " ").Trim();
        if (text.Length == 0)
            return Result.No("住所を入力してください。", "Please type your address.");
        if (text.Length > MaxAddressLength)
            return Result.No($"住所は{MaxAddressLength}文字以内で入力してください。番地より後は不要です。", $"Please keep the address under {MaxAddressLength} characters; no need for the house number.");
        if (text.Any(c => char.IsSurrogate(c) || c is '<' or '>' or '{' or '}' or '`'))
            return Result.No("住所に使えない文字が含まれています（絵文字や記号）。", "The address contains characters I cannot accept (emoji or symbols).");
        return Result.Ok(text);
    }

    /// <summary>A year of birth in the Western calendar or as 昭和/平成/令和 N年.</summary>
    public static Result BirthYear(string input, int currentYear)
    {
        var text = Fold(input).Replace("年", "", StringComparison.Ordinal).Replace("生まれ", "", StringComparison.Ordinal).Trim();
        int? year = null;
        if (text.Length == 4 && text.All(char.IsAsciiDigit))
            year = int.Parse(text, CultureInfo.InvariantCulture);
        else if (Era().Match(text) is { Success: true } m)
        {
            var n = m.Groups[2].Value == "元" ? 1 : int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            year = m.Groups[1].Value switch { "昭和" => 1925, "平成" => 1988, _ => 2018 } + n;
        }
        if (year is null)
            return Result.No("生まれ年は「1985」や「昭和60年」のように入力するか、「答えない」を選んでください。",
                "Please type a year such as 1985, or choose \"Skip\".");
        if (year < currentYear - 120 || year > currentYear)
            return Result.No("生まれ年が範囲外のようです。もう一度ご確認ください。", "That year seems out of range. Please check it.");
        return Result.Ok(year.Value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Up to three municipalities, each checked against the gazetteer, written as people write them: 「松本市と軽井沢町、あと白馬」.
    /// The official names, joined by 「、」; an unknown name is refused with the corrections the gazetteer can offer.
    /// </summary>
    public static StepAnswer Municipalities(string input, PlaceGazetteer places)
    {
        var text = PlaceGazetteer.Fold(input).Trim();
        if (text.Length > MaxMunicipalitiesLength)
            return StepAnswer.Reject(new($"市町村名は{MaxMunicipalities}つまで、短く入力してください（例: 松本市、安曇野市）。",
                $"Please name up to {MaxMunicipalities} municipalities, briefly (for example: Matsumoto, Azumino)."));
        var mentions = places.Find(text);
        var names = new List<string>();
        var unknown = new List<string>();
        var suggestions = new List<string>();
        var at = 0;
        for (var i = 0; i < mentions.Count; i++)
        {
            var mention = mentions[i];
            var gap = text[at..mention.Start];
            var end = mention.Start + mention.Text.Length;
            at = end;
            unknown.AddRange(Unknown(gap, places, suggestions));
            var municipalities = mention.Places.Where(p => p.Municipality is not null).Select(p => p.Municipality!).Distinct().ToList();
            if (municipalities.Count == 0)
            {
                // 「長野県松本市」: the prefecture only says where a municipality named with it lies; alone it is not a municipality.
                if (!mentions.Any(m => m.Places.Any(p => p.Municipality is not null && mention.Places.Any(q => q.Prefecture == p.Prefecture))))
                {
                    unknown.Add(mention.Text);
                    suggestions.AddRange(Suggest(mention.Text, places));
                }
                continue;
            }
            // 「軽井沢市」: the place is known, its kind of municipality is not.
            if (end < text.Length && IsMunicipalityWord(text[end]) && !municipalities.Any(m => m[^1] == text[end]))
            {
                unknown.Add(mention.Text + text[end]);
                suggestions.AddRange(municipalities);
                at = end + 1;
                continue;
            }
            if (municipalities.Count > 1)
            {
                unknown.Add(mention.Text);
                suggestions.AddRange(municipalities);
                continue;
            }
            if (!names.Contains(municipalities[0]))
                names.Add(municipalities[0]);
        }
        unknown.AddRange(Unknown(text[at..], places, suggestions));

        if (names.Count == 0 && unknown.Count == 0)
            return StepAnswer.Reject(new("市町村名を入力するか、「まだ決めていない」を選んでください。", "Please type a municipality or choose \"Not decided\"."));
        if (names.Count + unknown.Count > MaxMunicipalities)
            return StepAnswer.Reject(new($"市町村は{MaxMunicipalities}つまでお選びください。", $"Please name up to {MaxMunicipalities} municipalities."));
        if (unknown.Count == 0)
            return StepAnswer.Accept(string.Join('、', names));

        var quoted = string.Join("、", unknown.Select(u => $"「{Phrases.Quote(u)}」"));
        var found = names.Count == 0 ? new LocalText("", "") : new LocalText($"{string.Join("、", names)}は確認できました。", $"I found {string.Join(", ", names)}. ");
        var offered = suggestions.Distinct().Take(MaxMunicipalities).Select(s => string.Join('、', names.Append(s))).ToList();
        if (offered.Count == 0 && names.Count > 0)
            offered.Add(string.Join('、', names));
        return StepAnswer.Reject(new(
                $"{quoted}という市町村が見つかりませんでした。{found.Ja}" +
                (suggestions.Count > 0 ? "下のボタンから選ぶか、" : "") + "正式な名前（例: 松本市、軽井沢町、白馬村）で入力し直すか、「まだ決めていない」を選んでください。",
                $"I could not find {string.Join(", ", unknown.Select(u => $"\"{Phrases.Quote(u)}\""))} as a municipality. {found.En}" +
                (suggestions.Count > 0 ? "Pick one below, or " : "Please ") + "type the official names (for example: Matsumoto-shi, Karuizawa-machi) or choose \"Not decided\"."),
            [.. offered.Where(o => o.Length <= MaxButtonLabel)]);
    }

    /// <summary>What is left between the names found, once separators and words such as 「と」「あと」 are taken out; with what it may stand for.</summary>
    static List<string> Unknown(string gap, PlaceGazetteer places, List<string> suggestions)
    {
        var pieces = Connectors().Split(gap).Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        foreach (var piece in pieces)
            suggestions.AddRange(Suggest(IsMunicipalityWord(piece[^1]) ? piece[..^1] : piece, places));
        return pieces;
    }

    /// <summary>Municipalities a name stands for once 市, 町 or 村 is added: a reading (「はくば」) or a prefecture's namesake (「長野」).</summary>
    static IEnumerable<string> Suggest(string stem, PlaceGazetteer places) =>
        stem.Length == 0 ? [] : new[] { "市", "町", "村" }
            .SelectMany(kind => places.Find(stem + kind))
            .Where(m => m.Start == 0 && m.Text.Length >= stem.Length)
            .SelectMany(m => m.Places).Where(p => p.Municipality is not null).Select(p => p.Municipality!);

    static bool IsMunicipalityWord(char c) => c is '市' or '町' or '村';

    const int MaxMunicipalitiesLength = 60;
    // LINE cuts quick-reply labels at 20 characters.
    const int MaxButtonLabel = 20;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^[^@\s""<>(),;:\\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")]
    private static partial Regex EmailShape();

    [GeneratedRegex(@"^(昭和|平成|令和)\s*(元|\d{1,2})$")]
    private static partial Regex Era();

    [GeneratedRegex(@"(?:[、,/・&+。!?\s]|と|や|の|あと|および|及び|それと|そして|それから|または|です|など|とか|\band\b|\bor\b)+")]
    private static partial Regex Connectors();
}
