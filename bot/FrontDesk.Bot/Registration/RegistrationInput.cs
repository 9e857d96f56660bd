using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FrontDesk.Bot.Conversations;

namespace FrontDesk.Bot.Registration;

/// <summary>Reads what people type into the registration form: full-width digits, hyphens of every kind, hiragana or katakana.</summary>
public static partial class RegistrationInput
{
    public const int MaxNameLength = 40;
    public const int MaxAddressLength = 80;
    public const int MaxMunicipalities = 3;
    const int MaxMunicipalityLength = 20;

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

    /// <summary>Up to three municipality names separated by 、 , or spaces.</summary>
    public static Result Municipalities(string input)
    {
        var names = Separators().Split(input.Normalize(NormalizationForm.FormKC)).Select(n => n.Trim()).Where(n => n.Length > 0).Distinct().ToList();
        if (names.Count == 0)
            return Result.No("市町村名を入力するか、「まだ決めていない」を選んでください。", "Please type a municipality or choose \"Not decided\".");
        if (names.Count > MaxMunicipalities)
            return Result.No($"市町村は{MaxMunicipalities}つまでお選びください。", $"Please name up to {MaxMunicipalities} municipalities.");
        if (names.Any(n => n.Length > MaxMunicipalityLength || !n.All(IsNameChar)))
            return Result.No($"市町村名は1つ{MaxMunicipalityLength}文字以内で、文字だけで入力してください（例: 松本市、安曇野市）。",
                $"Please type each name in letters, up to {MaxMunicipalityLength} characters (for example: Matsumoto).");
        return Result.Ok(string.Join('、', names));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^[^@\s""<>(),;:\\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")]
    private static partial Regex EmailShape();

    [GeneratedRegex(@"^(昭和|平成|令和)\s*(元|\d{1,2})$")]
    private static partial Regex Era();

    [GeneratedRegex(@"[、,，/／\s]+")]
    private static partial Regex Separators();
}
