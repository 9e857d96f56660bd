using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FrontDesk.FakeLine;

/// <summary>
/// A small page that plays the LINE app: type as a LINE user, press quick replies and Flex buttons, see the bot's
/// messages. Messages travel as real signed webhooks and real Messaging API calls.
/// </summary>
static class ChatPage
{
    public static bool Handles(HttpContext ctx) => ctx.Request.Path == "/" || ctx.Request.Path.StartsWithSegments("/fake");

    public static async Task HandleAsync(HttpContext ctx, FakeLinePlatform platform)
    {
        var path = ctx.Request.Path.Value;
        if (path == "/" && HttpMethods.IsGet(ctx.Request.Method))
        {
            ctx.Response.ContentType = "text/html; charset=utf-8";
            await ctx.Response.WriteAsync(Html);
            return;
        }
        if (path == "/fake/chat" && HttpMethods.IsGet(ctx.Request.Method))
        {
            var user = ctx.Request.Query["user"].ToString();
            var lines = platform.Chat(user).Select(l => (JsonNode)new JsonObject { ["fromBot"] = l.FromBot, ["message"] = l.Message.DeepClone() });
            await ctx.Response.WriteAsJsonAsync(new JsonArray(lines.ToArray()));
            return;
        }
        if (path == "/fake/chat" && HttpMethods.IsPost(ctx.Request.Method))
        {
            var input = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted) as JsonObject;
            var user = input?["user"]?.GetValue<string>();
            if (user is null || !user.StartsWith('U'))
            {
                ctx.Response.StatusCode = 400;
                return;
            }
            JsonObject e;
            if (input!["follow"] is not null)
                e = platform.Events.Follow(user);
            else if (input["postback"]?.GetValue<string>() is { } data)
                e = platform.Events.Postback(user, data);
            else
                e = platform.Events.Text(user, input["text"]?.GetValue<string>() ?? "");
            var shown = input["follow"] is not null ? "（友だち追加）" : input["displayText"]?.GetValue<string>() ?? input["text"]?.GetValue<string>() ?? "";
            platform.RecordUserLine(user, new JsonObject { ["type"] = "text", ["text"] = shown });
            using var response = await platform.SendWebhookAsync(e);
            ctx.Response.StatusCode = (int)response.StatusCode == 200 ? 204 : 502;
            return;
        }
        ctx.Response.StatusCode = 404;
    }

    const string Html = """
        <!doctype html>
        <html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Fake LINE — FrontDesk</title>
        <style>
          body { font-family: "Noto Sans CJK JP", sans-serif; background: #8cabd9; margin: 0; }
          header { background: #273246; color: #fff; padding: 10px 14px; font-size: 15px; }
          #log { padding: 12px; padding-bottom: 120px; display: flex; flex-direction: column; gap: 8px; }
          .m { max-width: 75%; padding: 8px 12px; border-radius: 16px; white-space: pre-wrap; line-height: 1.5; }
          .bot { background: #fff; align-self: flex-start; }
          .user { background: #8de055; align-self: flex-end; }
          .card { background: #fff; border-radius: 12px; padding: 10px 12px; align-self: flex-start; max-width: 75%; }
          .card div { white-space: pre-wrap; } .card .t { font-weight: bold; } .card .b { display: block; margin-top: 6px; width: 100%; }
          .carousel { display: flex; gap: 8px; overflow-x: auto; align-self: stretch; }
          footer { position: fixed; bottom: 0; left: 0; right: 0; background: #fff; padding: 8px; }
          #quick button { margin: 0 4px 6px 0; border: 1px solid #06c755; color: #06c755; background: #fff; border-radius: 14px; padding: 4px 10px; }
          #f { display: flex; gap: 6px; } #t { flex: 1; font-size: 16px; padding: 6px; }
        </style></head>
        <body><header>FrontDesk — LINE の代わりにこのページで話せます（テスト用）</header>
        <div id="log"></div>
        <footer><div id="quick"></div>
          <form id="f"><input id="t" autocomplete="off" placeholder="メッセージを入力"><button>送信</button>
          <button type="button" id="follow">友だち追加</button></form></footer>
        <script>
        const user = new URLSearchParams(location.search).get("user") || localStorage.fakeLineUser || (localStorage.fakeLineUser = "U" + [...crypto.getRandomValues(new Uint8Array(16))].map(b => b.toString(16).padStart(2, "0")).join(""));
        const log = document.getElementById("log"), quick = document.getElementById("quick");
        let shown = 0;
        async function send(body) { await fetch("/fake/chat", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ user, ...body }) }); poll(); }
        function act(a) {
          if (a.type === "postback") send({ postback: a.data, displayText: a.displayText || a.label });
          else if (a.type === "message") send({ text: a.text });
          else if (a.type === "uri") window.open(a.uri, "_blank");
        }
        function button(a, cls) { const b = document.createElement("button"); b.textContent = a.label; if (cls) b.className = cls; b.onclick = () => act(a); return b; }
        function bubble(c) {
          const d = document.createElement("div"); d.className = "card";
          (function walk(n) {
            if (!n) return;
            if (n.type === "text") { const p = document.createElement("div"); p.textContent = n.text; if (n.weight === "bold") p.className = "t"; d.appendChild(p); }
            else if (n.type === "button") d.appendChild(button(n.action, "b"));
            ["header", "hero", "body", "footer"].forEach(k => walk(n[k]));
            (Array.isArray(n.contents) ? n.contents : []).forEach(walk);
          })(c);
          return d;
        }
        function render(line) {
          const m = line.message;
          if (m.type === "text") { const d = document.createElement("div"); d.className = "m " + (line.fromBot ? "bot" : "user"); d.textContent = m.text; log.appendChild(d); }
          else if (m.type === "flex" && m.contents.type === "carousel") { const row = document.createElement("div"); row.className = "carousel"; m.contents.contents.forEach(c => row.appendChild(bubble(c))); log.appendChild(row); }
          else if (m.type === "flex") log.appendChild(bubble(m.contents));
          if (line.fromBot) { quick.innerHTML = ""; (m.quickReply?.items || []).forEach(i => quick.appendChild(button(i.action))); }
        }
        async function poll() {
          const lines = await (await fetch("/fake/chat?user=" + user)).json();
          for (; shown < lines.length; shown++) render(lines[shown]);
          window.scrollTo(0, document.body.scrollHeight);
        }
        document.getElementById("f").onsubmit = e => { e.preventDefault(); const t = document.getElementById("t"); if (t.value.trim()) send({ text: t.value }); t.value = ""; };
        document.getElementById("follow").onclick = () => send({ follow: true });
        setInterval(poll, 700); poll();
        </script></body></html>
        """;
}
