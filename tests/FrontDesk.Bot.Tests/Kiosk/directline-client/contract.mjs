// Drives FrontDesk's Direct Line endpoint with botframework-directlinejs itself, as Web Chat would.
// Usage: node contract.mjs BASE_URL DEVICE_KEY EXPIRED_TOKEN   -> prints one JSON object with what it saw.
// Node has no XMLHttpRequest, so the library's ajax service is given a fetch-based one with the same contract
// (an rxjs Observable of {status, response}; errors carry status and xhr.getResponseHeader).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { DirectLine, ConnectionStatus } = require('botframework-directlinejs');
const { Observable } = require('rxjs/Observable');
const WebSocket = require('ws');
// The library checks for a global WebSocket before it uses the one it is given.
globalThis.WebSocket ??= WebSocket;

const [base, deviceKey, expiredToken] = process.argv.slice(2);
const domain = `${base}/v3/directline`;
const seen = []; // every HTTP call the library made: method, path, status

function ajax(config) {
  return Observable.create((subscriber) => {
    const abort = new AbortController();
    const timer = config.timeout ? setTimeout(() => abort.abort(), config.timeout) : null;
    let body = config.body;
    if (body !== undefined && typeof body !== 'string') body = JSON.stringify(body);
    fetch(config.url, { method: config.method || 'GET', headers: config.headers, body, signal: abort.signal }).then(
      async (res) => {
        const text = await res.text();
        let response = text;
        try { response = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        seen.push({ method: config.method || 'GET', path: new URL(config.url).pathname, status: res.status });
        const xhr = { getResponseHeader: (name) => res.headers.get(name) };
        if (res.ok) {
          subscriber.next({ status: res.status, response, xhr });
          subscriber.complete();
        } else {
          subscriber.error({ status: res.status, response, xhr, message: `HTTP ${res.status}` });
        }
      },
      (error) => subscriber.error({ status: 0, message: String(error) }),
    ).finally(() => timer && clearTimeout(timer));
    return () => abort.abort();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(predicate, ms = 15000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = predicate();
    if (value) return value;
    await sleep(20);
  }
  return undefined;
}

function connect(options) {
  const dl = new DirectLine({ domain, pollingInterval: 200, ajax, WebSocket, ...options });
  const activities = [];
  const statuses = [];
  dl.connectionStatus$.subscribe((s) => statuses.push(ConnectionStatus[s]));
  dl.activity$.subscribe((a) => activities.push(a), () => {});
  return { dl, activities, statuses };
}

function post(dl, activity) {
  return new Promise((resolve) => dl.postActivity(activity).subscribe((id) => resolve({ id }), (e) => resolve({ error: e.status ?? String(e) })));
}

async function generate() {
  const res = await fetch(`${domain}/tokens/generate`, { method: 'POST', headers: { Authorization: `Bearer ${deviceKey}` } });
  return res.json();
}

async function conversation(webSocket) {
  const { conversationId, token } = await generate();
  const c = connect({ token, webSocket });
  const greeting = await until(() => c.activities.find((a) => a.from.role === 'bot'));
  const question = { type: 'message', from: { id: 'visitor-1', name: 'visitor' }, text: '移住支援金は世帯でいくらもらえますか？', channelData: { clientActivityID: `c-${webSocket}` } };
  const posted = await post(c.dl, question);
  const echo = await until(() => c.activities.find((a) => a.channelData?.clientActivityID === question.channelData.clientActivityID && a.id));
  const reply = await until(() => c.activities.find((a) => a.from.role === 'bot' && a.replyToId === posted.id));
  const button = await post(c.dl, { type: 'message', from: { id: 'visitor-1' }, value: { cmd: 'topic', arg: 'akiya' }, channelData: { postBack: true, clientActivityID: 'c-pb' } });
  const topicReply = await until(() => c.activities.find((a) => a.from.role === 'bot' && a.replyToId === button.id));
  return { conversationId, token, c, greeting, posted, echo, reply, topicReply };
}

const result = {};
try {
  // Polling, as the kiosk page runs it.
  const p = await conversation(false);
  result.polling = {
    conversationMatches: p.c.dl.conversationId === p.conversationId,
    greeting: p.greeting?.text,
    postedId: p.posted.id,
    echoId: p.echo?.id,
    echoText: p.echo?.text,
    echoRole: p.echo?.from?.role,
    replyText: p.reply?.text,
    replyCardTitle: p.reply?.attachments?.[0]?.content?.title,
    replyContentType: p.reply?.attachments?.[0]?.contentType,
    suggestedActions: (p.reply?.suggestedActions?.actions ?? []).map((a) => a.type),
    topicReplyText: p.topicReply?.text,
    statuses: p.c.statuses,
  };

  // Token refresh through the library's own call; the new token keeps working for the same conversation.
  const refreshed = await new Promise((resolve) => p.c.dl.refreshToken().subscribe(resolve, (e) => resolve({ error: e.status })));
  p.c.dl.token = refreshed;
  const afterRefresh = await post(p.c.dl, { type: 'message', from: { id: 'visitor-1' }, text: 'メニュー', channelData: { clientActivityID: 'c-after' } });
  result.refresh = { changed: typeof refreshed === 'string' && refreshed !== p.token, postAfterRefresh: afterRefresh };

  // The WebSocket stream.
  const w = await conversation(true);
  result.webSocket = { greeting: w.greeting?.text, echoId: w.echo?.id, replyText: w.reply?.text, usedStream: !seen.some((s) => s.method === 'GET' && s.path === `/v3/directline/conversations/${w.conversationId}/activities`) };
  w.c.dl.end();

  // Conversation A's token used for conversation B: refused, and nothing of B is delivered.
  const b = await generate();
  const cross = connect({ token: p.token, conversationId: b.conversationId, webSocket: false });
  await until(() => cross.statuses.includes('FailedToConnect') || cross.statuses.includes('ExpiredToken'), 5000);
  result.crossConversation = { statuses: cross.statuses, activities: cross.activities.length, httpStatus: seen.filter((s) => s.path === `/v3/directline/conversations/${b.conversationId}`).map((s) => s.status) };
  cross.dl.end();

  // An expired token: the start is refused with 403 and the library reports it cannot connect.
  const expired = connect({ token: expiredToken, webSocket: false });
  await until(() => expired.statuses.includes('FailedToConnect') || expired.statuses.includes('ExpiredToken'), 5000);
  result.expired = { statuses: expired.statuses, httpStatus: seen.filter((s) => s.method === 'POST' && s.path === '/v3/directline/conversations').map((s) => s.status).at(-1) };
  expired.dl.end();
  p.c.dl.end();
} catch (error) {
  result.error = String(error?.stack ?? error);
}
result.calls = seen.length;
console.log(JSON.stringify(result));
process.exit(0);
