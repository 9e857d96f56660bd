// Regenerates the municipality rows of ../places.tsv from Japan Post's postal-code data (KEN_ALL) as shipped
// in the npm package jquery-jpostal-ja (MIT; the data itself: Japan Post, no copyright claimed).
//
//   cd /tmp && npm pack jquery-jpostal-ja && tar xzf jquery-jpostal-ja-*.tgz
//   node knowledge/content/listings/tools/make-places.mjs /tmp/package/json
//
// Everything above the "# --- generated" line of places.tsv (the prefectures and the hand-written rows) is kept as it is;
// everything below it is rewritten. A hand-written municipality gets a generated row only for forms it does not list yet.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: node make-places.mjs <jquery-jpostal-ja>/json');
const here = path.dirname(fileURLToPath(import.meta.url));
const tsv = path.join(here, '..', 'places.tsv');
const marker = '# --- generated';

// Short forms and readings that are ordinary words in a request (一戸建て, ひらやの家), not a place the user means.
const stopForms = new Set(['一戸', '中央', '高原', '本町', '朝日', '大和', '緑', '温泉', '自然', '大島', '小島',
  'みなと', 'ひらや']);

// Half-width katakana (as in KEN_ALL) to hiragana.
const halfToFull = s => s.normalize('NFKC');
const toHiragana = s => halfToFull(s).replace(/[\u30A1-\u30F6]/g, c => String.fromCharCode(c.charCodeAt(0) - 0x60));

// 1. Municipalities (pref + name as in KEN_ALL, e.g. 石狩郡当別町, 札幌市北区) with their readings.
const raw = new Map();
for (const f of fs.readdirSync(dataDir).filter(f => /^\d+\.json$/.test(f)).sort()) {
  const t = fs.readFileSync(path.join(dataDir, f), 'utf8');
  for (const r of JSON.parse(t.slice(t.indexOf('(') + 1, t.lastIndexOf(')')))) {
    if (!r[1] || !r[2] || !r[7]) continue;
    raw.set(`${r[1]}\t${r[2]}`, { pref: r[1], name: r[2], kana: toHiragana(r[7]) });
  }
}

// 2. Strip 郡 (and the island prefix of Tokyo's island villages); fold designated-city wards into their city.
const munis = new Map();
const wardKana = new Map();
const wardNames = new Map(); // 札幌市北区 is read as 札幌市 in one piece, not as 札幌市 and Tokyo's 北区
for (const { pref, name, kana } of raw.values()) {
  let n = name, k = kana;
  const gun = /^(.+?郡)(.+[町村])$/.exec(n);
  if (gun) {
    const at = k.indexOf('ぐん');
    if (at < 0) throw new Error(`no ぐん in the reading of ${pref}${name}`);
    n = gun[2]; k = k.slice(at + 2);
  }
  const island = /^(三宅島|八丈島)(.+[町村])$/.exec(n);
  if (island) { n = island[2]; k = k.slice(k.indexOf('じま') + 2); }
  const ward = /^(.+?市)(.+区)$/.exec(n);
  if (ward) {
    const key = `${pref}\t${ward[1]}`;
    (wardKana.get(key) ?? wardKana.set(key, []).get(key)).push(k);
    (wardNames.get(key) ?? wardNames.set(key, []).get(key)).push(n);
    continue;
  }
  munis.set(`${pref}\t${n}`, { pref, name: n, kana: k });
}
// A designated city's reading: the part its wards' readings share, up to the last し (さっぽろし|きたく, さっぽろし|あつべつく).
for (const [key, kanas] of wardKana) {
  let common = kanas[0];
  for (const k of kanas) while (!k.startsWith(common)) common = common.slice(0, -1);
  const [pref, name] = key.split('\t');
  // The shortest ward reading ends in く and has at least one kana of its own; the city is what is left before it.
  const cityLen = Math.min(...kanas.map(k => k.length)) - 2;
  let reading = common.slice(0, Math.min(common.length, cityLen + 1));
  reading = reading.slice(0, reading.lastIndexOf('し') + 1);
  munis.set(key, { pref, name, kana: reading });
}

// 3. Existing file: prefectures and hand-written rows.
const lines = fs.readFileSync(tsv, 'utf8').split('\n');
const cut = lines.findIndex(l => l.startsWith(marker));
const hand = (cut >= 0 ? lines.slice(0, cut) : lines).filter((l, i, a) => !(i === a.length - 1 && l === ''));
const prefForms = new Set();
const handForms = new Map();
for (const l of hand) {
  if (!l || l.startsWith('#')) continue;
  const [kind, pref, name, alt = ''] = l.split('\t');
  const forms = [name, ...alt.split(',').map(s => s.trim()).filter(Boolean)];
  if (kind === 'pref') forms.forEach(f => prefForms.add(f));
  else handForms.set(`${pref}\t${name}`, new Set([...(handForms.get(`${pref}\t${name}`) ?? []), ...forms]));
}

// 4. Generated rows: official name always; the name without 市町村/区 and the readings where they cannot be mistaken.
const suffixKana = { 市: ['し'], 町: ['ちょう', 'まち'], 村: ['むら', 'そん'], 区: ['く'] };
// A designated city's short name is that city (横浜 is not 横浜町 in 青森県, 神戸 not 神戸町 in 岐阜県).
const bigShorts = new Set();
for (const key of wardKana.keys()) {
  const { name, kana } = munis.get(key);
  bigShorts.add(name.slice(0, -1)).add(kana.slice(0, -1));
}
const out = [];
for (const { pref, name, kana } of munis.values()) {
  const big = wardKana.has(`${pref}\t${name}`);
  const suffix = name.at(-1);
  const short = name.slice(0, -1);
  const sk = (suffixKana[suffix] ?? []).find(s => kana.endsWith(s) && kana.length > s.length);
  const shortKana = sk ? kana.slice(0, -sk.length) : '';
  const forms = [...(wardNames.get(`${pref}\t${name}`) ?? [])];
  if (short.length >= 2 && !prefForms.has(short) && (big || !bigShorts.has(short)) && !stopForms.has(short) && !/^[ぁ-ゟ]+$/.test(short)) forms.push(short);
  if (kana.length >= 3 && kana !== name) forms.push(kana);
  if (shortKana.length >= 3 && !prefForms.has(shortKana) && !stopForms.has(shortKana) && (big || !bigShorts.has(shortKana)) && shortKana !== name) forms.push(shortKana);
  const known = handForms.get(`${pref}\t${name}`);
  const extra = forms.filter(f => !known?.has(f));
  if (known && extra.length === 0) continue;
  out.push(`muni\t${pref}\t${name}\t${extra.join(',')}`);
}

const header = [
  `${marker} by tools/make-places.mjs: ${out.length} municipalities from Japan Post's postal-code data (KEN_ALL,`,
  '# https://www.post.japanpost.jp/zipcode/, no copyright claimed by Japan Post) as shipped in the npm package jquery-jpostal-ja (MIT).',
  '# Designated cities are listed as the city; their wards (札幌市北区) are read as the city. Do not edit below: change the script or add a row above.',
];
fs.writeFileSync(tsv, [...hand, ...header, ...out, ''].join('\n'));
console.log(`${out.length} generated rows, ${munis.size} municipalities`);
