"""The scripted conversations of `./frontdesk eval dialogues`, written out as knowledge/eval/dialogues-{tune,heldout}.jsonl.

Each conversation is a list of turns (say, press a button by its title, wait minutes) with what the replies must and
must not contain. They were written from the conversation issue's account of what a front desk should do, before
the runner was first run, and split once at random (seed 1204). After the first run the check for "an article was
served" changed from the word 出典 (the bot's own sentences may say it) to the note under every sources card, in both
halves alike. Tune on the first file only.
"""
import json, os, random
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
S=lambda t,must=(),no=(),**k: dict(say=t,must=list(must),**({"not":list(no)} if no else {}),**k)
P=lambda t,must=(),no=(),**k: dict(press=t,must=list(must),**({"not":list(no)} if no else {}),**k)
SAT="2026-11-28T10:00:00+09:00"; EVE="2026-11-24T19:30:00+09:00"
ART="最新の情報は各窓口でご確認ください"  # the note under every article's sources
NOART=[ART,"分かりません"]
D=[]
def d(turns,channel=None,at=None): D.append(dict(turns=turns,**({"channel":channel} if channel else {}),**({"at":at} if at else {})))
# small talk
d([S("こんにちは",["ご案内ボット"],NOART)])
d([S("こんばんは！",["ご案内ボット"],NOART)],at=EVE)
d([S("おはようございます",["ご案内ボット"],NOART)])
d([S("Hello",["assistant"],["Sorry, I don't know","please confirm with the office concerned"])])
d([S("ありがとう",["どういたしまして"],NOART)])
d([S("ありがとうございます",["どういたしまして"],NOART)])
d([S("移住支援金は世帯でいくらもらえますか",["100万円"]),S("ありがとうございました！",["どういたしまして"],NOART)])
d([S("さようなら",["ありがとうございました"],NOART)])
d([S("何ができますか？",["物件"],NOART)])
d([S("👍",["文字で"],NOART)])
d([S("！？",["文字で"],NOART)])
d([S("Thank you",["welcome"],["please confirm with the office concerned","don't know"])])
d([S("はじめまして。移住支援金っていくら？",["100万円"])])
# person
for t in ["担当者につないでください","スタッフさんと話せますか","オペレーターお願いします","直接相談したいです","人と話したいです","職員の方と話がしたいです","電話で相談したいのですが","Can I talk to a person?","相談員さんに代わってもらえますか"]:
    d([S(t,["おつなぎします"] if not t.startswith("Can") else ["coordinator"],["分かりません","don't know"])])
# never silent
d([S("相談員と話したい",["おつなぎします"]),S("いつ頃連絡もらえますか？",["届いています","待ち時間"])])
d([S("相談員と話したい",["受付時間外"]),S("いつ頃連絡もらえますか？",["届いています","11月30日（月）9:00"])],at=SAT)
d([S("相談員と話したい",["おつなぎします"]),S("よろしくお願いします",["届いています"]),S("まだですか",[],["届いています"]),dict(waitMinutes=11,say="まだかかりますか",must=["届いています"])])
d([S("明日の東京の天気を教えて",["分かりません"]),S("おいしいカレーの作り方は？",["受付時間外","相談員と話す"]),S("移住支援金は世帯でいくらもらえますか",["100万円"])],at=SAT)
d([S("相談員と話したい",["おつなぎします"]),S("ボットに戻る",["ボットでのご案内に戻りました"]),S("移住支援金は世帯でいくらもらえますか",["100万円"])])
# office facts
d([S("何時まで開いてますか？",["17:00"],[ART])])
d([S("東京の事務所は何時まで開いてますか？",["受付時間外","9:00"],[ART])],at=EVE)
d([S("窓口の場所はどこですか",["千代田区"],[ART,"条件"])])
d([S("住所を教えてください",["千代田区"],[ART])])
d([S("最寄り駅はどこですか",["東京駅"],[ART])])
d([S("電話番号を教えてください",["03-0000-0000"],[ART])])
d([S("土日はお休みですか？",["平日"],[ART])])
d([S("What are your opening hours?",["9:00"],["please confirm with the office concerned"])])
# flows give way (listing search)
d([S("長野で月5万円以下の賃貸",["条件"]),S("窓口の場所はどこですか",["千代田区","物件検索を続けられます"],["物件の条件として読み取れませんでした"])])
d([S("長野で月5万円以下の賃貸",["条件"]),S("東京の事務所は何時まで開いてますか？",["17:00","物件検索を続けられます"],["事業用"])])
d([S("空き家を探したい",[]),S("子育て加算はありますか？",["出典","物件検索を続けられます"],["どの地域で探しますか"])])
d([S("長野で月5万円以下の賃貸",["条件"]),S("検索をやめる",["中止しました"],["中止する手続きはありません"])])
d([S("長野で月5万円以下の賃貸",["条件"]),S("How much is the relocation support grant?",[],["could not read that as search conditions"])])
d([S("長野で月5万円以下の賃貸",["条件"]),S("ありがとう",["どういたしまして"],["物件の条件として読み取れませんでした"])])
d([S("長野で月5万円以下の賃貸",["条件"]),P("詳しく見る",["物件の詳細"]),S("この家はペット飼える？",["ペット","掲載情報"],["条件: "])])
d([S("長野で月5万円以下の賃貸",["条件"]),P("詳しく見る",["物件の詳細"]),S("駐車場はありますか？",["駐車場","掲載情報"])])
d([S("長野で月5万円以下の賃貸",["条件"]),P("詳しく見る",["物件の詳細"]),S("見学できますか？",["相談員"])])
d([S("長野で月5万円以下の賃貸",["条件"]),P("学校・保育の案内",[],["物件検索を続けられます"])])
# answers
d([S("移住支援金はいくらもらえますか？",["100万円"],["分かりません"])])
d([S("移住支援金っていくら？",["100万円"],["分かりません"])])
d([S("移住支援金は世帯でいくらもらえますか",["100万円"]),S("それって単身だと？",["60万円"])])
d([S("区域外就学とは何ですか",["区域外就学"],["分かりません"])])
d([S("起業したら支援ある？",["起業支援金"])])
d([S("デュアルスクールって何ですか",["デュアルスクール"],["分かりません"])])
d([S("ワンストップ特例の申請期限は？",["1月10日"])])
# registration
d([S("ふるさと住民登録をしたい",["同意"],[ART])])
d([S("ふるさと住民登録をしたい",["同意"]),S("プレミアム登録って何が違うの？",["プレミアム"],["入力してください"])])
d([S("ふるさと住民登録をしたい",["同意"]),S("やめる",["中止"])])
# kiosk
d([S("スタッフを呼んでください",["受付時間外"],["こちらでお返事します"])],channel="kiosk",at=SAT)
d([S("こんにちは",["ご案内ボット"],[ART])],channel="kiosk")
d([S("相談員と話したい",["おつなぎします"])],channel="kiosk")
# listing requests as people write them
d([S("長野で3万5千円以下の賃貸",["3.5万円"])])
d([S("houses for rent in Nagano under 50,000 yen",["50,000"])])
d([S("ひだ市の空き家",["飛騨市"])])
d([S("長野県の安い空き家を探したい",["条件"])])
# cancel and menu
d([S("やめる",["中止する手続きはありません"])])
d([S("メニュー",["ご用件をお選びください"])])
d([S("支援制度を探したい",[]),S("何時まで開いてますか？",["17:00"])])
d([S("相談員と話したい",["おつなぎします"]),S("ありがとう",["届いています"])])
d([S("こんにちは",["ご案内ボット"]),S("相談員と話したい",["おつなぎします"]),S("ボットに戻る",["戻りました"]),S("さようなら",["ありがとうございました"])])
print(len(D))
random.Random(1204).shuffle(D)
for i,x in enumerate(D): x["id"]=f"c{i+1:02d}"
half=len(D)//2
for name,part in (("tune",D[:half]),("heldout",D[half:])):
    with open(os.path.join(OUT, f"dialogues-{name}.jsonl"),"w",encoding="utf-8") as f:
        for x in part:
            f.write(json.dumps({"id":x["id"],**{k:v for k,v in x.items() if k!="id"}},ensure_ascii=False)+"\n")
    print(name,len(part))
