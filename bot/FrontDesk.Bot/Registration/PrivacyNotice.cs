using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using FrontDesk.Bot.Conversations;

namespace FrontDesk.Bot.Registration;

/// <summary>
/// What a person agrees to before any personal question: the short version in chat and the full notice served at
/// /privacy/furusato. A consent row stores <see cref="Version"/> and the SHA-256 of the exact text shown.
/// </summary>
public static class PrivacyNotice
{
    public const string Version = "2026-12-04";
    public const string Path = "/privacy/furusato";

    /// <summary>The notice as shown in chat; on a shared screen (the kiosk) drafts are short-lived and changes go through the desk.</summary>
    public static LocalText Summary(RegistrationOptions options, bool sharedDevice) => new(
        "「ふるさと住民登録」は、当県が独自に行う事前登録（関心登録）です。国が準備中の制度への自動的な移行はお約束できません。\n" +
        "■目的: 地域の情報をお届けし、地域との関わりを知り、サービスをご案内するため\n" +
        "■お聞きすること: お名前（漢字・フリガナ）、メールアドレスまたは電話番号、郵便番号と住所（番地より前まで）、生まれ年（任意）、地域との関わり、関心のある市町村、登録区分、受け取りたい情報\n" +
        "■見る人: 登録を担当する県の職員だけです（暗号化して保管します）\n" +
        (sharedDevice
            ? $"■保管期間: 削除のお申し出まで。入力途中の内容は{options.KioskDraftMinutes}分で消え、「やめる」で中止するとすぐに消えます\n" +
              "■変更・削除: キオスクでの登録は、LINEからは確認も変更もできません。確認・削除は窓口の職員に登録番号をお伝えください\n"
            : $"■保管期間: 削除のお申し出まで。入力途中の内容は{options.DraftDays}日で消え、「やめる」で中止するとすぐに消えます\n" +
              "■変更・削除: LINEで登録した方は、LINEで「登録内容を確認」「変更」「削除」と送るといつでもできます\n") +
        "同意いただける場合は「同意する」を押してください。",
        "Furusato resident registration is this prefecture's own advance registration of interest; we cannot promise it will move to the national scheme being prepared.\n" +
        "- Why: to send news of the region, learn how you are involved and offer services\n" +
        "- What: your name (kanji and kana), e-mail or phone, postal code and address (without house number), year of birth (optional), your ties to the region, municipalities of interest, plan, news topics\n" +
        "- Who sees it: only the prefecture's registration staff (stored encrypted)\n" +
        (sharedDevice
            ? $"- How long: until you ask us to delete it; an unfinished form is removed after {options.KioskDraftMinutes} minutes, or at once when you cancel\n" +
              "- Change or delete: a kiosk registration cannot be viewed or changed on LINE; to view or delete it, give your registration number to our staff at the desk\n"
            : $"- How long: until you ask us to delete it; an unfinished form is removed after {options.DraftDays} days, or at once when you cancel\n" +
              "- Change or delete: if you registered on LINE, send \"登録内容を確認\", \"変更\" or \"削除\" on LINE at any time\n") +
        "Press \"I agree\" if you agree.");

    public static string Sha256(LocalText shown) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(shown.Ja + "\n" + shown.En)));

    public static IEndpointRouteBuilder MapPrivacyNotice(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (Microsoft.Extensions.Options.IOptions<RegistrationOptions> options) =>
        {
            var summary = Summary(options.Value, sharedDevice: false);
            var kiosk = Summary(options.Value, sharedDevice: true);
            var encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
            string Paragraphs(string text) => string.Concat(text.Split('\n').Select(l => $"<p>{encoder.Encode(l)}</p>"));
            var html = $"""
                <!doctype html>
                <html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>ふるさと住民登録 個人情報の取り扱い</title>
                <style>body{"{"}font-family:"Noto Sans CJK JP",sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.7{"}"}</style></head>
                <body><h1>ふるさと住民登録 個人情報の取り扱い</h1>
                <p>版: {Version}</p>
                {Paragraphs(summary.Ja)}
                <h2>キオスクで登録する場合</h2>
                {Paragraphs(string.Join('\n', kiosk.Ja.Split('\n').Where(l => l.StartsWith("■保管期間", StringComparison.Ordinal) || l.StartsWith("■変更・削除", StringComparison.Ordinal))))}
                <h2>安全管理</h2>
                <p>個人情報は暗号化して保管し、閲覧や書き出しはすべて記録します。会話の記録には、登録フォームへの入力内容を残しません。ログにも個人情報を書きません。</p>
                <p>削除をお申し出いただくと、個人情報はすぐに消去され、件数だけが匿名で残ります。</p>
                <h2 lang="en">In English</h2>
                <div lang="en">{Paragraphs(summary.En)}
                <p>Personal data is stored encrypted; every view and export by staff is recorded. Chat records do not keep what you type into the form, and logs never contain personal data. When you ask for deletion, your data is erased at once and only an anonymous count remains.</p></div>
                </body></html>
                """;
            // The console's security headers (CSP, nosniff, no referrer); HSTS comes from the pipeline on https.
            return FrontDesk.Bot.Coordinators.ConsoleEndpoints.Html(html);
        });
        return app;
    }
}
