using Process = System.Diagnostics.Process;
using ProcessStartInfo = System.Diagnostics.ProcessStartInfo;
using System.Text;
using System.Text.Json.Nodes;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Line;
using FrontDesk.Bot.Line.RichMenu;
using FrontDesk.FakeLine;

namespace FrontDesk.Bot.Tests.Line;

/// <summary>Every body the bot can send is valid against LINE's own OpenAPI file, and the validator really rejects invalid ones.</summary>
public sealed class ContractTests
{
    static readonly OpenApiDocument Api = FakeLinePlatform.MessagingApi;
    readonly LineRenderer renderer = new();

    static Card SampleCard(int i = 1) => new()
    {
        Title = $"空き家 {i}：松本市の古民家",
        Subtitle = "築60年・5DK",
        Text = "駅から徒歩15分。改修の補助があります。",
        ImageUrl = "https://example.org/house.jpg",
        Facts = [new("価格", "300万円"), new("面積", "120㎡")],
        Buttons =
        [
            CardAction.Command("詳しく見る", "listing", "akiya-" + i),
            CardAction.Link("市のページ", "https://example.org/akiya"),
            CardAction.Say("質問する", "この物件について質問したい"),
        ],
    };

    static JsonObject Reply(IEnumerable<JsonObject> messages) => new()
    {
        ["replyToken"] = "0f3779fba3b349968c5d07db31eab56f",
        ["messages"] = new JsonArray(messages.Select(m => (JsonNode)m).ToArray()),
    };

    static JsonObject Push(IEnumerable<JsonObject> messages) => new()
    {
        ["to"] = "U4af4980629" + new string('0', 22),
        ["messages"] = new JsonArray(messages.Select(m => (JsonNode)m).ToArray()),
    };

    public static TheoryData<string> Shapes => ["text", "quick reply", "flex bubble", "flex carousel", "menu", "long text", "many cards"];

    List<JsonObject> Render(string shape) => shape switch
    {
        "text" => renderer.Render([Activity.Message("こんにちは。ご質問をどうぞ。")]),
        "quick reply" => renderer.Render([new Activity
        {
            Text = "どちらですか？",
            SuggestedActions = Enumerable.Range(1, 20).Select(i => CardAction.Command($"選択肢{i}：とても長いラベルの選択肢です", Commands.Answer, i.ToString())).ToList(),
        }]),
        "flex bubble" => renderer.Render([new Activity { Text = "見つかりました。", Cards = [SampleCard()] }]),
        "flex carousel" => renderer.Render([new Activity { Text = "候補です。", Layout = CardLayout.Carousel, Cards = Enumerable.Range(1, 12).Select(SampleCard).ToList() }]),
        "menu" => renderer.Render([new Activity
        {
            Text = "ご用件をお選びください。",
            Cards = [new Card { Title = "メニュー", Text = "・相談前の簡単な質問\n・相談員と話す", Buttons = [CardAction.Command("相談前の簡単な質問", Commands.StartFlow, "intake"), CardAction.Command("相談員と話す", Commands.Contact)] }],
            SuggestedActions = [CardAction.Command("メニュー", Commands.Menu)],
        }]),
        "long text" => renderer.Render([Activity.Message(string.Concat(Enumerable.Repeat("移住支援金の条件についてご説明します。", 700)))]),
        "many cards" => renderer.Render([new Activity { Layout = CardLayout.Carousel, Cards = Enumerable.Range(1, 30).Select(SampleCard).ToList() }]),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_rendered_shape_is_a_valid_reply_and_push_in_batches_of_five(string shape)
    {
        var messages = Render(shape);
        Assert.NotEmpty(messages);
        foreach (var batch in LineRenderer.Batches(messages))
        {
            Assert.InRange(batch.Count, 1, 5);
            Assert.Empty(Api.Validate("ReplyMessageRequest", Reply(batch.Select(m => (JsonObject)m.DeepClone()))));
            Assert.Empty(Api.Validate("PushMessageRequest", Push(batch.Select(m => (JsonObject)m.DeepClone()))));
        }
    }

    [Fact]
    public void Long_text_is_split_at_5000_UTF16_units_without_breaking_surrogate_pairs()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 6000)); // 12,000 UTF-16 units, no place to break
        var pieces = LineRenderer.SplitText(text).ToList();
        Assert.Equal(3, pieces.Count);
        Assert.All(pieces, p => Assert.InRange(p.Length, 1, 5000));
        Assert.All(pieces, p => Assert.False(char.IsHighSurrogate(p[^1]) || char.IsLowSurrogate(p[0])));
        Assert.Equal(text, string.Concat(pieces));

        var sentences = string.Concat(Enumerable.Repeat("移住支援金の条件についてご説明します。\n", 400));
        Assert.All(LineRenderer.SplitText(sentences), p => Assert.EndsWith("。", p));
    }

    [Fact]
    public void Quick_replies_are_capped_at_13_and_carousels_at_12_bubbles()
    {
        var quick = Render("quick reply").Last()["quickReply"]!["items"]!.AsArray();
        Assert.Equal(13, quick.Count);
        Assert.All(quick, i => Assert.True(i!["action"]!["label"]!.GetValue<string>().Length <= 20));

        var carousels = Render("many cards");
        Assert.Equal([12, 12, 6], carousels.Select(m => m["contents"]!["contents"]!.AsArray().Count));
    }

    [Fact]
    public void Card_buttons_become_postback_uri_and_message_actions()
    {
        var bubble = Render("flex bubble")[1]["contents"]!;
        var actions = bubble["footer"]!["contents"]!.AsArray().Select(b => b!["action"]!).ToList();
        Assert.Equal(["postback", "uri", "message"], actions.Select(a => a["type"]!.GetValue<string>()));
        Assert.Equal("c=listing&v=akiya-1", actions[0]["data"]!.GetValue<string>());
        Assert.Equal(Activity.Command("listing", "akiya-1"), PostbackData.Decode(actions[0]["data"]!.GetValue<string>()));
        Assert.Equal("https://example.org/akiya", actions[1]["uri"]!.GetValue<string>());
    }

    [Fact]
    public void Loading_animation_and_rich_menu_requests_are_valid()
    {
        Assert.Empty(Api.Validate("ShowLoadingAnimationRequest", new JsonObject { ["chatId"] = "U" + new string('a', 32), ["loadingSeconds"] = 20 }));
        var menu = RichMenuInstaller.Definition();
        Assert.Empty(Api.Validate("RichMenuRequest", menu));
        var areas = menu["areas"]!.AsArray();
        Assert.Equal(6, areas.Count);
        Assert.All(areas, a => Assert.True(a!["action"]!["data"]!.GetValue<string>().Length <= 300));
        var commands = areas.Select(a => PostbackData.Decode(a!["action"]!["data"]!.GetValue<string>())).ToList();
        Assert.Contains(Activity.Command(Commands.Menu), commands);
        Assert.Contains(Activity.Command(Commands.Contact), commands);
        Assert.Equal(["support", "akiya", "school", "furusato"], commands.Where(c => c.Name == Commands.Topic).Select(c => c.Value));

        var png = RichMenuInstaller.Image();
        Assert.True(png.Length < 1024 * 1024);
        Assert.Equal(2500, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(1686, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public void The_validator_rejects_six_messages_fourteen_quick_replies_and_a_missing_type()
    {
        var six = Reply(Enumerable.Range(1, 6).Select(i => LineRenderer.Text("m" + i)));
        Assert.Contains(Api.Validate("ReplyMessageRequest", six), e => e.Property == "messages" && e.Message.Contains("at most 5"));

        var text = LineRenderer.Text("選んでください");
        text["quickReply"] = new JsonObject
        {
            ["items"] = new JsonArray(Enumerable.Range(1, 14).Select(i => (JsonNode)new JsonObject
            {
                ["type"] = "action",
                ["action"] = new JsonObject { ["type"] = "message", ["label"] = "l" + i, ["text"] = "t" + i },
            }).ToArray()),
        };
        Assert.Contains(Api.Validate("PushMessageRequest", Push([text])), e => e.Property == "messages[0].quickReply.items");

        var untyped = new JsonObject { ["text"] = "no type" };
        Assert.Contains(Api.Validate("ReplyMessageRequest", Reply([untyped])), e => e.Property == "messages[0].type" && e.Message == "is required");
    }

    [Fact]
    public void The_validator_rejects_wrong_types_unknown_kinds_lengths_ranges_and_missing_flex_parts()
    {
        Assert.Contains(Api.Validate("ReplyMessageRequest", new JsonObject { ["messages"] = new JsonArray(LineRenderer.Text("x")) }),
            e => e.Property == "replyToken");
        Assert.Contains(Api.Validate("PushMessageRequest", Push([new JsonObject { ["type"] = "txt", ["text"] = "x" }])),
            e => e.Property == "messages[0].type" && e.Message.Contains("unknown"));
        Assert.Contains(Api.Validate("PushMessageRequest", Push([new JsonObject { ["type"] = "text", ["text"] = 42 }])),
            e => e.Property == "messages[0].text" && e.Message.Contains("must be string"));
        Assert.Contains(Api.Validate("PushMessageRequest", Push([new JsonObject { ["type"] = "text" }])),
            e => e.Property == "messages[0].text");
        Assert.Contains(Api.Validate("PushMessageRequest", new JsonObject { ["to"] = "U1", ["messages"] = new JsonArray() }),
            e => e.Message.Contains("at least 1"));

        var postback = LineRenderer.Text("x");
        postback["quickReply"] = new JsonObject
        {
            ["items"] = new JsonArray(new JsonObject
            {
                ["type"] = "action",
                ["action"] = new JsonObject { ["type"] = "postback", ["label"] = "l", ["data"] = new string('d', 301) },
            }),
        };
        Assert.Contains(Api.Validate("PushMessageRequest", Push([postback])), e => e.Property == "messages[0].quickReply.items[0].action.data");

        var flex = new JsonObject
        {
            ["type"] = "flex",
            ["altText"] = "x",
            ["contents"] = new JsonObject { ["type"] = "bubble", ["body"] = new JsonObject { ["type"] = "box", ["contents"] = new JsonArray() } },
        };
        Assert.Contains(Api.Validate("PushMessageRequest", Push([flex])), e => e.Property == "messages[0].contents.body.layout");
        var noAlt = new JsonObject { ["type"] = "flex", ["contents"] = new JsonObject { ["type"] = "carousel", ["contents"] = new JsonArray() } };
        Assert.Contains(Api.Validate("PushMessageRequest", Push([noAlt])), e => e.Property == "messages[0].altText");

        Assert.Contains(Api.Validate("ShowLoadingAnimationRequest", new JsonObject { ["chatId"] = "U1", ["loadingSeconds"] = 90 }),
            e => e.Property == "loadingSeconds");
        var menu = RichMenuInstaller.Definition();
        menu["chatBarText"] = "とても長いチャットバーのテキストです";
        Assert.Contains(Api.Validate("RichMenuRequest", menu), e => e.Property == "chatBarText");
        var badUri = LineRenderer.Text("x");
        badUri["quickReply"] = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["type"] = "action", ["action"] = new JsonObject { ["type"] = "uri", ["label"] = "l", ["uri"] = "not a uri" } }) };
        Assert.Contains(Api.Validate("PushMessageRequest", Push([badUri])), e => e.Property.EndsWith("action.uri"));
    }

    [Fact]
    public void The_validator_counts_lengths_in_UTF16_units_as_LINE_does()
    {
        static JsonObject WithData(string data)
        {
            var message = LineRenderer.Text("x");
            message["quickReply"] = new JsonObject
            {
                ["items"] = new JsonArray(new JsonObject
                {
                    ["type"] = "action",
                    ["action"] = new JsonObject { ["type"] = "postback", ["label"] = "l", ["data"] = data },
                }),
            };
            return Push([message]);
        }
        Assert.Empty(Api.Validate("PushMessageRequest", WithData(new string('d', 298) + "😀")));
        // 300 code points, 301 UTF-16 units: over LINE's 300.
        Assert.Contains(Api.Validate("PushMessageRequest", WithData(new string('d', 299) + "😀")),
            e => e.Property == "messages[0].quickReply.items[0].action.data" && e.Message.Contains("at most 300"));
    }

    [Fact]
    public async Task The_fake_platform_sends_webhooks_that_match_the_webhook_schema()
    {
        await using var line = await FakeLinePlatform.StartAsync();
        var user = LineEvents.NewUserId();
        var body = JsonNode.Parse(line.WebhookBody(
            line.Events.Text(user, "こんにちは 😀"), line.Events.Sticker(user), line.Events.Image(user), line.Events.Location(user),
            line.Events.Postback(user, "c=menu"), line.Events.Follow(user), line.Events.Unfollow(user), line.Events.Unsend(user, "1234"),
            LineEvents.Redelivery(line.Events.Text(user, "again"))))!;
        Assert.Empty(FakeLinePlatform.Webhook.Validate("CallbackRequest", body));
        body["events"]!.AsArray().Add(new JsonObject { ["type"] = "message", ["mode"] = "active" });
        Assert.NotEmpty(FakeLinePlatform.Webhook.Validate("CallbackRequest", body));
    }

    [Fact]
    public void Signatures_match_what_openssl_computes()
    {
        const string secret = "8c570fa6dd201bb328f1c1eac23a96d8";
        var body = Encoding.UTF8.GetBytes("{\"destination\":\"U0\",\"events\":[{\"type\":\"message\",\"message\":{\"type\":\"text\",\"text\":\"\\u3053\\u3093\\u306b\\u3061\\u306f \uD83D\uDE00\"}}]}");
        var start = new ProcessStartInfo("sh", ["-c", $"openssl dgst -sha256 -hmac '{secret}' -binary | base64"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        using var openssl = Process.Start(start)!;
        openssl.StandardInput.BaseStream.Write(body);
        openssl.StandardInput.Close();
        var expected = openssl.StandardOutput.ReadToEnd().Trim();
        openssl.WaitForExit();
        Assert.Equal(0, openssl.ExitCode);

        Assert.Equal(expected, LineSignature.Compute(secret, body));
        Assert.True(LineSignature.Verify(secret, body, expected));
        Assert.False(LineSignature.Verify(secret, body, expected[..^4] + "AAA="));
        Assert.False(LineSignature.Verify(secret, body, null));
        Assert.False(LineSignature.Verify(secret, body, "not base64!"));
        Assert.False(LineSignature.Verify("another secret", body, expected));
    }
}
