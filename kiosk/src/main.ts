import QRCode from 'qrcode';
// Web Chat's prebuilt bundle (React included) is loaded as its own file; see loadWebChat.
import webChatUrl from '../node_modules/botframework-webchat/dist/webchat.js?url';
import './style.css';
import { texts, type Lang } from './texts';
import type { DirectLine, Subscription, WebChatStore } from './webchat';

interface Config {
  directLine: string;
  idleSeconds: number;
  countdownSeconds: number;
  pollingIntervalMs: number;
  webSocket: boolean;
  lineEnabled: boolean;
}

interface Session {
  conversationId: string;
  directLine: DirectLine;
  store: WebChatStore;
  element: HTMLElement;
  status: Subscription;
  online: boolean;
  /** Connecting again after the network came back: Web Chat drops what is sent before it is online. */
  resuming: boolean;
  pending: Array<() => void>;
}

// Direct Line's ConnectionStatus values.
const Online = 2;
const ExpiredToken = 3;
const FailedToConnect = 4;

const DeviceKeyItem = 'frontdesk.kiosk.deviceKey';
const HealthEveryMs = 4000;
const RetryStartMs = 3000;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

let config: Config;
let lang: Lang = 'ja';
let session: Session | null = null;
let starting = false;
let lastTouch = Date.now();
let countdownLeft = 0;
let linePoll: number | undefined;
let resetTimer: number | undefined;

/** The device key arrives once in the URL fragment (#key=…), is kept on the device and removed from the address bar. */
function deviceKey(): string | null {
  const match = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (match) {
    localStorage.setItem(DeviceKeyItem, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname);
  }
  return localStorage.getItem(DeviceKeyItem);
}

async function fetchWithTimeout(url: string, init: RequestInit = {}, ms = 8000): Promise<Response> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  try {
    return await fetch(url, { ...init, signal: abort.signal, cache: 'no-store' });
  } finally {
    clearTimeout(timer);
  }
}

function loadWebChat(): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = webChatUrl;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('Web Chat did not load'));
    document.head.append(script);
  });
}

async function loadConfig(): Promise<Config> {
  for (;;) {
    try {
      const response = await fetchWithTimeout('/kiosk/api/config');
      if (response.ok) {
        setOffline(false);
        return (await response.json()) as Config;
      }
    } catch {
      // unreachable: retried below
    }
    setOffline(true);
    await new Promise((r) => setTimeout(r, RetryStartMs));
  }
}

function t() {
  return texts[lang];
}

function applyTexts() {
  const x = t();
  document.documentElement.lang = lang;
  $('title').textContent = x.title;
  $('tiles-heading').textContent = x.tilesHeading;
  for (const tile of document.querySelectorAll<HTMLButtonElement>('.tile')) {
    const key = (tile.dataset.cmd === 'contact' ? 'staff' : tile.dataset.arg) as keyof typeof x.tiles;
    tile.querySelector('.tile-label')!.textContent = x.tiles[key];
  }
  $('line-button').textContent = x.line;
  $('restart-button').textContent = x.restart;
  $('countdown-text').textContent = x.countdown;
  $('countdown-continue').textContent = x.countdownContinue;
  $('line-heading').textContent = x.lineHeading;
  $('line-instructions').textContent = x.lineInstructions;
  $('line-code-label').textContent = x.lineCodeLabel;
  $('line-close').textContent = x.lineClose;
  $('offline').textContent = x.offline;
  $('lang-ja').setAttribute('aria-pressed', String(lang === 'ja'));
  $('lang-en').setAttribute('aria-pressed', String(lang === 'en'));
}

function setOffline(value: boolean) {
  $('offline').hidden = !value;
  document.body.classList.toggle('is-offline', value);
}

const styleOptions = {
  primaryFont: "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', sans-serif",
  accent: '#0b3d91',
  backgroundColor: '#ffffff',
  bubbleBackground: '#f2f5fa',
  bubbleBorderColor: '#1d2b44',
  bubbleBorderWidth: 2,
  bubbleBorderRadius: 12,
  bubbleTextColor: '#111111',
  bubbleFromUserBackground: '#0b3d91',
  bubbleFromUserBorderColor: '#0b3d91',
  bubbleFromUserBorderWidth: 2,
  bubbleFromUserBorderRadius: 12,
  bubbleFromUserTextColor: '#ffffff',
  bubbleMinHeight: 48,
  bubbleMaxWidth: 880,
  bubbleFromUserMaxWidth: 880,
  paddingRegular: 14,
  hideUploadButton: true,
  sendBoxHeight: 72,
  sendBoxTextColor: '#111111',
  sendBoxButtonColor: '#0b3d91',
  sendBoxBorderTop: 'solid 2px #1d2b44',
  suggestedActionLayout: 'flow',
  suggestedActionHeight: 56,
  suggestedActionBorderRadius: 12,
  suggestedActionBorderWidth: 2,
  suggestedActionBorderColor: '#0b3d91',
  suggestedActionTextColor: '#0b3d91',
  suggestedActionBackgroundColor: '#ffffff',
  timestampColor: '#333333',
  botAvatarInitials: undefined,
  userAvatarInitials: undefined,
};

function render(s: Session) {
  window.WebChat!.renderWebChat(
    {
      directLine: s.directLine,
      store: s.store,
      locale: lang === 'en' ? 'en-US' : 'ja-JP',
      styleOptions,
      overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: t().sendBoxPlaceholder },
    },
    s.element,
  );
}

interface StoreAction { type: string; payload?: { activity?: { channelData?: { resetAfterSeconds?: unknown } } } }

/**
 * The bot asks for a wipe when a form with personal data was submitted or cancelled (channelData.resetAfterSeconds):
 * the visitor gets a moment to read the last message, then the screen is reset as after idle.
 */
function wipeWhenAsked() {
  return (next: (action: StoreAction) => unknown) => (action: StoreAction) => {
    const seconds = action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' ? action.payload?.activity?.channelData?.resetAfterSeconds : undefined;
    if (typeof seconds === 'number' && seconds >= 0) {
      clearTimeout(resetTimer);
      resetTimer = window.setTimeout(() => void reset(), seconds * 1000);
    }
    return next(action);
  };
}

/** Sends a command the way our buttons do: a messageBack whose value is {cmd, arg}, shown as the visitor's bubble. */
function sendCommand(cmd: string, arg: string | undefined, displayText: string) {
  const s = session;
  if (!s) return;
  const send = () => s.store.dispatch({ type: 'WEB_CHAT/SEND_MESSAGE_BACK', payload: { displayText, text: displayText, value: { cmd, arg } } });
  if (s.online) send();
  else s.pending.push(send);
}

async function startSession() {
  if (session || starting) return;
  starting = true;
  try {
    const key = deviceKey();
    if (!key) {
      $('setup').hidden = false;
      return;
    }
    const response = await fetchWithTimeout(`${config.directLine}/tokens/generate`, { method: 'POST', headers: { Authorization: `Bearer ${key}` } });
    if (response.status === 401) {
      $('setup').hidden = false;
      return;
    }
    if (!response.ok) throw new Error(`tokens/generate: ${response.status}`);
    const { conversationId, token } = (await response.json()) as { conversationId: string; token: string };
    setOffline(false);

    const directLine = connect(token, conversationId);
    const element = document.createElement('div');
    element.className = 'webchat';
    element.dataset.conversation = conversationId;
    $('webchat-host').replaceChildren(element);
    const s: Session = {
      conversationId,
      directLine,
      store: window.WebChat!.createStore({}, wipeWhenAsked),
      element,
      status: { unsubscribe() {} },
      online: false,
      resuming: false,
      pending: [],
    };
    session = s;
    watch(s);
    render(s);
    if (lang === 'en') sendCommand('language', 'en', 'English');
    $('attract').hidden = true;
    lastTouch = Date.now();
  } catch {
    setOffline(true);
    setTimeout(() => void startSession(), RetryStartMs);
  } finally {
    starting = false;
  }
}

function connect(token: string, conversationId: string, watermark?: string): DirectLine {
  return window.WebChat!.createDirectLine({
    domain: `${location.origin}${config.directLine}`,
    token,
    // Given a conversation id (a reconnect), the library resumes it from the watermark instead of starting anew.
    ...(watermark !== undefined ? { conversationId, watermark } : {}),
    webSocket: config.webSocket,
    pollingInterval: config.pollingIntervalMs,
  });
}

function watch(s: Session) {
  s.status.unsubscribe();
  s.status = s.directLine.connectionStatus$.subscribe((status) => {
    s.online = status === Online;
    document.body.classList.toggle('is-connected', s.online);
    if (s.online) s.pending.splice(0).forEach((send) => send());
    if (s.online && s.resuming && session === s) {
      s.resuming = false;
      setOffline(false);
    }
    if ((status === FailedToConnect || status === ExpiredToken) && session === s) {
      // The server went away or forgot us: start over cleanly once it answers again.
      setOffline(true);
      void restartWhenReachable(s);
    }
  });
}

/**
 * After the network comes back: the Direct Line library stops polling for good on a network error (and may be
 * waiting out a WebSocket back-off), so the page connects again to the same conversation from the last watermark;
 * Web Chat keeps the transcript it has.
 */
function resume(s: Session) {
  const old = s.directLine as DirectLine & { watermark?: string };
  if (!old.token) return;
  s.directLine = connect(old.token, s.conversationId, old.watermark ?? '');
  s.resuming = true;
  old.end();
  watch(s);
  render(s);
}

async function restartWhenReachable(failed: Session) {
  while (!(await healthy())) await new Promise((r) => setTimeout(r, RetryStartMs));
  if (session !== failed) return;
  wipe();
  await startSession();
}

async function healthy(): Promise<boolean> {
  try {
    return (await fetchWithTimeout('/health/live', {}, 3000)).ok;
  } catch {
    return false;
  }
}

async function endConversation(s: Session) {
  const token = s.directLine.token;
  if (!token) return;
  await fetchWithTimeout(
    `${config.directLine}/conversations/${encodeURIComponent(s.conversationId)}/activities`,
    {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'endOfConversation', from: { id: 'kiosk' } }),
      keepalive: true,
    },
    3000,
  );
}

/** Removes everything the visitor saw or typed from the screen and forgets the session in this page. */
function wipe(): Session | null {
  const s = session;
  session = null;
  clearTimeout(resetTimer);
  stopLinePoll();
  $('line-dialog').hidden = true;
  $('countdown').hidden = true;
  $('webchat-host').replaceChildren();
  document.body.classList.remove('is-connected');
  if (s) {
    s.status.unsubscribe();
    s.directLine.end();
  }
  return s;
}

/** Idle reset or 「最初に戻る」: wipe the screen, end the conversation (revoking its token), and reload a fresh page. */
async function reset() {
  const s = wipe();
  lang = 'ja';
  applyTexts();
  $('attract').hidden = false;
  if (s) await endConversation(s).catch(() => undefined);
  // A fresh page keeps nothing of the last visitor in memory; when offline, the wiped page waits instead.
  if (await healthy()) location.replace(location.pathname);
}

function onTouch() {
  lastTouch = Date.now();
  if (!$('countdown').hidden) $('countdown').hidden = true;
}

function tickIdle() {
  if (!session) return;
  const countdown = $('countdown');
  if (countdown.hidden) {
    if (Date.now() - lastTouch >= config.idleSeconds * 1000) {
      countdownLeft = config.countdownSeconds;
      $('countdown-number').textContent = String(countdownLeft);
      countdown.hidden = false;
    }
    return;
  }
  countdownLeft -= 1;
  $('countdown-number').textContent = String(Math.max(0, countdownLeft));
  if (countdownLeft <= 0) void reset();
}

function stopLinePoll() {
  if (linePoll !== undefined) clearInterval(linePoll);
  linePoll = undefined;
}

async function showLine() {
  const s = session;
  if (!s?.directLine.token) return;
  const status = $('line-status');
  const dialog = $('line-dialog');
  status.textContent = '';
  $('line-code').textContent = '';
  $<HTMLImageElement>('line-qr').removeAttribute('src');
  dialog.hidden = false;
  try {
    const response = await fetchWithTimeout('/kiosk/api/continuation', { method: 'POST', headers: { Authorization: `Bearer ${s.directLine.token}` } });
    if (!response.ok) throw new Error(String(response.status));
    const { code, url } = (await response.json()) as { code: string; url: string; message: string };
    const qr = $<HTMLImageElement>('line-qr');
    qr.src = await QRCode.toDataURL(url, { width: 320, margin: 2, errorCorrectionLevel: 'M' });
    qr.alt = `QR: ${code}`;
    $('line-code').textContent = code;
    status.textContent = t().lineWaiting;
    stopLinePoll();
    linePoll = window.setInterval(async () => {
      if (session !== s || !s.directLine.token) return stopLinePoll();
      try {
        const check = await fetchWithTimeout(`/kiosk/api/continuation/${encodeURIComponent(code)}`, { headers: { Authorization: `Bearer ${s.directLine.token}` } }, 3000);
        if (check.ok && ((await check.json()) as { used: boolean }).used) {
          status.textContent = t().lineDone;
          status.classList.add('done');
          stopLinePoll();
        }
      } catch {
        // the health check shows the offline message
      }
    }, 2000);
  } catch {
    status.textContent = t().lineFailed;
  }
}

function switchLanguage(next: Lang) {
  if (next === lang) return;
  lang = next;
  applyTexts();
  if (session) {
    render(session);
    sendCommand('language', next, t().languageSwitched);
  }
}

async function main() {
  applyTexts();
  for (const type of ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart']) document.addEventListener(type, onTouch, { capture: true, passive: true });
  config = await loadConfig();
  await loadWebChat();
  $('line-button').hidden = !config.lineEnabled;

  const attract = $('attract');
  const start = () => void startSession();
  attract.addEventListener('click', start);
  attract.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && start());
  for (const tile of document.querySelectorAll<HTMLButtonElement>('.tile'))
    tile.addEventListener('click', () => sendCommand(tile.dataset.cmd!, tile.dataset.arg, tile.querySelector('.tile-label')!.textContent ?? ''));
  $('lang-ja').addEventListener('click', () => switchLanguage('ja'));
  $('lang-en').addEventListener('click', () => switchLanguage('en'));
  $('restart-button').addEventListener('click', () => void reset());
  $('countdown-continue').addEventListener('click', onTouch);
  $('line-button').addEventListener('click', () => void showLine());
  $('line-close').addEventListener('click', () => {
    stopLinePoll();
    $('line-dialog').hidden = true;
  });

  setInterval(tickIdle, 1000);
  let wasOffline = false;
  const checkHealth = async () => {
    const ok = await healthy();
    if (ok && wasOffline && session) resume(session);
    wasOffline = !ok;
    // The notice stays until the resumed connection is online, so that what the visitor types then is sent.
    setOffline(!ok || session?.resuming === true);
  };
  window.addEventListener('online', () => void checkHealth());
  window.addEventListener('offline', () => {
    wasOffline = true;
    setOffline(true);
  });
  setInterval(() => void checkHealth(), HealthEveryMs);
  if (!deviceKey()) $('setup').hidden = false;
  document.body.classList.add('is-ready');
}

void main();
