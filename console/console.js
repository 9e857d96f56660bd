// The coordinator console's live layer. The pages are server-rendered and work without it; with it, the queue and an
// open conversation follow changes announced on /console/hub (from any web host) by re-fetching their server-rendered
// parts, and a conversation that starts waiting rings a short tone and shows a browser notification.
(() => {
  'use strict';

  const live = document.getElementById('live');
  const queue = document.querySelector('[data-live="queue"]');
  const transcript = document.querySelector('[data-live="conversation"]');
  const known = new Map(); // conversation key -> last announced status, to spot ones that start waiting

  const show = (text) => { if (live) live.textContent = text; };
  // A form being posted navigates by itself; a live reload must not cut it off.
  let leaving = false;
  document.addEventListener('submit', () => { leaving = true; });

  // Without the client library, fall back to what the page did before: a reload every few seconds.
  if (!window.signalR) {
    if (queue || transcript) setTimeout(() => location.reload(), 5000);
    return;
  }

  const canned = document.getElementById('canned');
  if (canned) {
    canned.addEventListener('change', () => {
      const box = canned.form.querySelector('textarea[name="text"]');
      if (canned.value && box) box.value = canned.value;
      canned.selectedIndex = 0;
    });
  }

  const debounce = (fn, ms) => {
    let timer = null;
    return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
  };

  const refreshQueue = debounce(async () => {
    const response = await fetch('/console/queue', { credentials: 'same-origin' });
    if (response.ok) queue.innerHTML = await response.text(); // server-rendered, every user text already encoded
  }, 100);

  const refreshTranscript = debounce(async () => {
    const key = transcript.dataset.key;
    const response = await fetch('/console/c/' + encodeURIComponent(key) + '/lines', { credentials: 'same-origin' });
    if (response.ok) transcript.innerHTML = await response.text();
  }, 100);

  let audio = null;
  const ring = () => {
    try {
      audio = audio || new AudioContext();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.4);
    } catch (e) {
      // Browsers refuse sound before the first click on the page; the notification and the page itself still tell.
    }
    if ('Notification' in window && Notification.permission === 'granted') {
      new Notification('FrontDesk', { body: '新しい相談が待っています。', tag: 'frontdesk-waiting' });
    }
  };
  if ('Notification' in window && Notification.permission === 'default') {
    document.addEventListener('click', () => Notification.requestPermission(), { once: true });
  }

  const onChange = (change) => {
    const before = known.get(change.key);
    known.set(change.key, change.status);
    if (change.status === 'waiting' && before !== 'waiting') {
      document.body.dataset.lastWaiting = change.key;
      ring();
    }
    if (queue) refreshQueue();
    if (transcript && transcript.dataset.key === change.key) {
      const status = change.status === 'waiting' ? 'Waiting' : change.status === 'active' ? 'Active' : 'Closed';
      // Who may act changed (claimed elsewhere, released, closed): the server renders the right buttons.
      if (status !== transcript.dataset.status || (change.coordinator || '') !== transcript.dataset.coordinator) {
        if (!leaving) location.reload();
      } else refreshTranscript();
    }
  };

  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/console/hub')
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 10000, 30000])
    .build();
  connection.on('conversation', onChange);
  // Waiting times grow without any change to announce.
  if (queue) setInterval(refreshQueue, 30000);
  connection.onreconnecting(() => show('再接続中…'));
  connection.onreconnected(() => { show('● ライブ'); if (queue) refreshQueue(); if (transcript) refreshTranscript(); });
  connection.onclose(() => show('接続が切れました。ページを再読み込みしてください。'));

  (async () => {
    try {
      await connection.start();
      for (const item of await connection.invoke('Queue')) known.set(item.key, item.status);
      show('● ライブ');
      document.body.dataset.live = 'on';
      // Anything that changed between rendering and connecting.
      if (queue) refreshQueue();
      if (transcript) refreshTranscript();
    } catch (e) {
      show('ライブ更新を開始できませんでした。');
      setTimeout(() => location.reload(), 5000);
    }
  })();
})();
