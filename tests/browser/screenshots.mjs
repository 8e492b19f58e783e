// Screenshots of the reading pages at a desktop width (1200 px) and a
// phone's (390 px), for a person to look at after changing them:
// `node tests/browser/screenshots.mjs [PAGE-FILTER]` against a fresh
// `kaitei demo`; the PNGs go to $CARGO_TARGET_DIR/screenshots (or
// target/…). Not a test: nothing here fails on what it sees.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const target = process.env.CARGO_TARGET_DIR || path.join(here, '..', '..', 'target');
const kaitei = process.env.KAITEI_BIN || path.join(target, 'debug', 'kaitei');
const out = path.join(target, 'screenshots');
const only = process.argv[2] || '';

// (name, account, path, what to do first)
const pages = [
  ['editions', 'admin', '/'],
  ['diff', 'admin', '/diff?old=令和6年10月版&new=令和7年3月版'],
  ['diff-choose', 'admin', '/diff'],
  ['diff-unknown', 'admin', '/diff?old=令和6年10月版&new=令和9年版'],
  ['diff-reversed', 'admin', '/diff?old=令和7年3月版&new=令和6年10月版'],
  ['diff-same', 'admin', '/diff?old=令和7年3月版&new=令和7年3月版'],
  ['edition', 'vendor', '/editions/令和7年3月版'],
  ['clause', 'vendor', '/editions/令和7年3月版/clauses/s4-1-7'],
  ['clause-first', 'vendor', '/editions/令和6年10月版/clauses/s4-1-2-1'],
  ['search', 'shiwa', '/search?q=情報'],
  ['search-short', 'shiwa', '/search?q=鍵'],
  ['prefecture', 'iwate', '/prefectures/030007/status'],
  ['prefecture-behind', 'iwate', '/prefectures/030007/status?show=behind&order=impact'],
  ['prefecture-other', 'iwate', '/prefectures/130001/status'],
  ['policy', 'shiwa', '/bodies/033219/policy'],
  ['error-404', 'iwate', '/no/such/page'],
  ['error-403', 'vendor', '/prefectures/030007/status'],
  ['error-400', 'iwate', '/prefectures/030007/status?show=everything'],
  // This year's records (#18).
  ['disposal', 'shiwa', '/bodies/033219/disposal'],
  ['disposal-item', 'shiwa', '/bodies/033219/disposal/items/SV-001'],
  ['disposal-national', 'admin', '/disposal'],
  ['organs', 'shiwa', '/bodies/033219/cybersecurity'],
  ['organs-recorded', 'iwate', '/bodies/030007/cybersecurity'],
  ['organs-prefecture', 'iwate', '/prefectures/030007/cybersecurity'],
  ['organs-national', 'admin', '/cybersecurity'],
  // Data linkage and the self-assessment (#19).
  ['linkage', 'shiwa', '/bodies/033219/linkage'],
  ['linkage-national', 'admin', '/linkage'],
  ['assessment', 'shiwa', '/bodies/033219/assessment'],
  ['assessment-2024', 'shiwa', '/bodies/033219/assessment?year=2024'],
  ['assessment-read', 'admin', '/bodies/033219/assessment'],
  ['assessment-none', 'chiyoda', '/bodies/131016/assessment'],
  ['assessment-questions', 'admin', '/assessment/questions'],
  // Printed (A4): last of the town's pages, the context stays in print.
  ['disposal-print', 'shiwa', '/bodies/033219/disposal', async (page) => { await page.emulateMedia({ media: 'print' }); }],
  ['linkage-print', 'shiwa', '/bodies/033219/linkage', async (page) => { await page.emulateMedia({ media: 'print' }); }],
  ['assessment-print', 'shiwa', '/bodies/033219/assessment', async (page) => { await page.emulateMedia({ media: 'print' }); }],
  ['menu-open', 'iwate', '/', async (page) => { await page.locator('details.menu-compact summary').click().catch(() => {}); }],
];

function startDemo() {
  const child = spawn(kaitei, ['demo', '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = line.match(/http:\/\/[0-9.]+:\d+/);
      if (m) resolve({ child, base: m[0] });
    });
    child.on('exit', (code) => reject(new Error(`kaitei demo exited with ${code}`)));
  });
}

const { child, base } = await startDemo();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
mkdirSync(out, { recursive: true });
for (const width of [1200, 390]) {
  const contexts = {};
  for (const [name, login, url, before] of pages) {
    if (!name.includes(only)) continue;
    if (!contexts[login]) {
      const context = await browser.newContext({ locale: 'ja-JP', viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.getByLabel('ログイン名').fill(login);
      await page.getByLabel('パスワード').fill('kaitei-demo-2026');
      await page.getByRole('button', { name: 'サインイン' }).click();
      // Each role's home: the editions, or a body officer's own policy.
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      contexts[login] = page;
    }
    const page = contexts[login];
    await page.goto(`${base}${url}`);
    if (before) await before(page);
    const file = path.join(out, `${name}-${width}.png`);
    // Long pages (an edition, a 新旧対照表) are cut: their first screens
    // are what a person meets.
    const height = Math.min(await page.evaluate(() => document.documentElement.scrollHeight), 2400);
    await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height } });
    console.log(file);
  }
}
await browser.close();
child.kill();
