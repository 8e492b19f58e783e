// Browser journeys: headless Chromium (Debian's package, never a
// downloaded browser) signs in to `kaitei demo` as each role and clicks
// through the main pages. Screenshots of failures go to
// $CARGO_TARGET_DIR/browser-failures (or target/…).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';

// axe-core checks each page against WCAG 2 A/AA; it is evaluated through
// the DevTools protocol, which the pages' CSP does not govern.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
async function accessibilityProblems(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const target = process.env.CARGO_TARGET_DIR || path.join(here, '..', '..', 'target');
const kaitei = process.env.KAITEI_BIN || path.join(target, 'debug', 'kaitei');
const failures = path.join(target, 'browser-failures');
const PASSWORD = 'kaitei-demo-2026';

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

async function signIn(page, base, login) {
  await page.goto(`${base}/login`);
  await page.getByLabel('ログイン名').fill(login);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'サインイン' }).click();
  // Home depends on the role (a body officer's is the body's policy).
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

const journeys = {
  async 'admin: editions, a clause, the comparison, the dashboard'(page, base) {
    const res = await signIn(page, base, 'admin');
    await page.getByRole('link', { name: '令和6年10月版', exact: true }).click();
    expect(await page.getByText('情報セキュリティ対策基準').first().isVisible(), 'the standards are shown');
    await page.getByRole('link', { name: '4.1.', exact: true }).first().click();
    expect(page.url().includes('/clauses/'), 'a clause has its own page');
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: '令和6年10月版 → 令和7年3月版' }).click();
    expect((await page.content()).includes('（傍線部分は改正部分）'), 'the comparison table');
    expect(await page.getByRole('link', { name: 'ガイドラインの版' }).first().isVisible(), 'in the site frame, with the way back');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Word' }).click();
    expect((await download).suggestedFilename() === '新旧対照表_令和6年10月版_令和7年3月版.docx', 'the Word file named in Japanese');
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: '全国の状況' }).click();
    expect((await page.content()).includes('ポリシーを登録済みの団体'), 'the dashboard');
  },
  async 'admin: the national picture as a tile map, its table as Excel and CSV'(page, base) {
    await signIn(page, base, 'admin');
    await page.getByRole('link', { name: '全国の状況' }).click();
    expect(/集計時刻 令和\d+年\d+月\d+日 \d+:\d\d/.test(await page.locator('main').textContent()), 'made when, date and time');
    const map = page.locator('figure.tile-map svg');
    expect(await map.locator('rect').count() === 47, 'a tile per prefecture');
    const box = await map.boundingBox();
    const bars = await page.locator('svg[aria-labelledby="chart-title"]').boundingBox();
    expect(box.y < bars.y + bars.height && bars.y < box.y + box.height, 'beside the bars');
    for (const [label, name] of [['Excel', /^全国の状況_令和.*\.xlsx$/], ['CSV', /^全国の状況_令和.*\.csv$/]]) {
      const download = page.waitForEvent('download');
      await page.locator('p.downloads').getByRole('link', { name: label, exact: true }).click();
      const file = (await download).suggestedFilename();
      expect(name.test(file), `the ${label} file's name: ${file}`);
    }
    await map.locator('a', { hasText: '岩手' }).click();
    await page.waitForURL(`${base}/prefectures/030007/status`);
  },
  async 'committee: search finds 監査 and highlights it'(page, base) {
    await signIn(page, base, 'committee');
    await page.getByRole('link', { name: '検索' }).click();
    await page.getByLabel('検索語（2文字以上）').fill('監査');
    await page.getByRole('button', { name: '検索' }).click();
    expect(await page.locator('mark').count() > 0, 'highlighted hits');
    expect(!(await page.content()).includes('032018'), 'no unpublished policy of another body');
  },
  async 'town officer: own policy, its impact, editing a clause'(page, base) {
    await signIn(page, base, 'shiwa');
    await page.goto(`${base}/bodies/033219/policy`);
    expect((await page.content()).includes('令和7年3月版 による影響'), 'the impact of the new edition');
    await page.getByRole('link', { name: '第1条' }).first().click();
    await page.getByLabel('本文（段落ごとに改行）').fill('この規程は、紫波町の情報資産を守るために定める。');
    await page.getByRole('button', { name: '保存' }).click();
    expect((await page.content()).includes('紫波町の情報資産を守る'), 'the edit is saved');
    expect((await page.content()).includes('第1版（shiwa が変更）'), 'with its history');
    await page.goto(`${base}/bodies/033219/policy`);
    await page.getByRole('button', { name: '公開する' }).click();
    expect((await page.content()).includes('公開（サインインした全員が閲覧できます）'), 'published');
    await page.getByRole('button', { name: '非公開にする' }).click();
    expect((await page.content()).includes('非公開（この団体'), 'and withdrawn');
    const other = await page.goto(`${base}/bodies/032018/policy`);
    expect(other.status() === 404, "another body's unpublished policy is not shown");
  },
  async 'town officer: merge review through htmx, then adopt'(page, base) {
    await signIn(page, base, 'shiwa');
    await page.goto(`${base}/bodies/033219/policy`);
    await page.getByRole('link', { name: '改定の確認へ' }).click();
    expect(page.url().endsWith('/bodies/033219/policy/review'), 'the review page');
    const conflicts = page.locator('section.review.conflict');
    const count = await conflicts.count();
    expect(count > 0, 'conflicts to decide');
    // Adopting first is refused and names what is left.
    await page.getByLabel(/新しい版の名前/).fill('令和8年4月1日施行');
    await page.getByLabel(/日付（施行日または公表日/).fill('令和8年4月1日');
    await page.getByRole('button', { name: '確認結果をポリシーに反映' }).click();
    expect((await page.getByRole('alert').first().textContent()).includes('未判断の競合が'), 'refused while undecided');
    await page.goto(`${base}/bodies/033219/policy/review`);
    // An edit without text: the item again with the reason, in place.
    const first = conflicts.first();
    await first.getByLabel('修正して採用').check();
    await first.getByLabel('修正文（段落ごとに改行）').fill('');
    await first.getByRole('button', { name: '判断を保存' }).click();
    await page.locator('section.review.conflict [role=alert]').first().waitFor();
    expect(page.url().endsWith('/review'), 'no page load: htmx swapped the item');
    for (let i = 0; i < count; i += 1) {
      const item = page.locator('section.review.conflict').nth(i);
      await item.getByLabel('現行を維持').check();
      await item.getByRole('button', { name: '判断を保存' }).click();
      await page.locator('section.review.conflict').nth(i).getByText('判断済み：現行を維持（shiwa）').waitFor();
    }
    expect(page.url().endsWith('/review'), 'decided in place');
    await page.getByLabel(/新しい版の名前/).fill('令和8年4月1日施行');
    await page.getByLabel(/日付（施行日または公表日/).fill('令和8年4月1日');
    await page.getByRole('button', { name: '確認結果をポリシーに反映' }).click();
    await page.waitForURL(`${base}/bodies/033219/policy?done=adopted`);
    expect((await page.locator('.overview').textContent()).includes('令和7年3月版（最新の版です）'), 'the policy follows the new edition');
    expect(!(await page.content()).includes('による影響'), 'nothing left to review');
  },
  async 'admin: the interface in English, and the skip link first'(page, base) {
    await signIn(page, base, 'admin');
    await page.keyboard.press('Tab');
    expect((await page.evaluate(() => document.activeElement.textContent)) === '本文へ移動', 'the skip link comes first');
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.getByRole('heading', { name: 'Guideline editions' }).isVisible(), 'English headings');
    expect((await page.getAttribute('html', 'lang')) === 'en', 'html lang follows');
    await page.getByRole('link', { name: 'National overview' }).click();
    expect((await page.content()).includes('Edition followed, by prefecture'), 'the dashboard in English');
    await page.getByRole('link', { name: '日本語' }).click();
    expect((await page.content()).includes('全国の状況'), 'and back to Japanese, on the same page');
  },
  async 'every main page passes axe (WCAG 2.1 A/AA, serious and critical)'(page, base) {
    const problems = [];
    const check = async (url) => {
      await page.goto(`${base}${url}`);
      for (const p of await accessibilityProblems(page)) problems.push(`${url}: ${p}`);
    };
    await check('/login');
    await signIn(page, base, 'admin');
    for (const url of ['/', '/editions/令和7年3月版', '/editions/令和7年3月版/clauses/s4-1',
      '/diff?old=令和6年10月版&new=令和7年3月版', '/search?q=監査', '/dashboard', '/prefectures/030007/status',
      '/bodies/030007/policy', '/bodies/030007/policy/clauses/p-b1', '/no/such/page',
      '/consultations', '/consultations/R8-1/progress', '/admin/users', '/cycles']) {
      await check(url);
    }
    // The merge review is the body's own (the ministry only reads).
    await signIn(page, base, 'iwate');
    await check('/consultations/R8-1/progress?prefecture=030007');
    await signIn(page, base, 'shiwa');
    await check('/consultations/R8-1');
    await signIn(page, base, 'iwate');
    await check('/bodies/030007/policy/review');
    await check('/lang/en?back=/dashboard');
    expect(problems.length === 0, problems.join('\n'));
  },
  async 'prefecture officer: own policy, not a municipality’s text'(page, base) {
    await signIn(page, base, 'iwate');
    const own = await page.goto(`${base}/bodies/030007/policy`);
    expect(own.status() === 200, 'own policy');
    const town = await page.goto(`${base}/bodies/033219/policy`);
    expect(town.status() === 404, "a municipality's unpublished text");
  },
  async 'vendor: the published editions, never a policy'(page, base) {
    await signIn(page, base, 'vendor');
    await page.getByRole('link', { name: '令和6年10月版 → 令和7年3月版' }).click();
    expect((await page.content()).includes('（傍線部分は改正部分）'), 'vendors read the 新旧対照表');
    const policy = await page.goto(`${base}/bodies/030007/policy`);
    expect(policy.status() === 404, "not even a public policy");
    const status = await page.goto(`${base}/prefectures/030007/status`);
    expect(status.status() === 403, 'no status of bodies');
    expect((await page.content()).includes('権限がありません'), 'said in Japanese, in the site frame');
  },
  async 'ministry: plans the cycle and opens a consultation, the two-week rule holding'(page, base) {
    // Japan time as a datetime-local input writes it, `hours` from now.
    const jst = (hours) => new Date(Date.now() + (9 + hours) * 3600 * 1000).toISOString().slice(0, 16);
    await signIn(page, base, 'admin');
    await page.getByRole('link', { name: '改定サイクル' }).click();
    await page.getByText('日程を追加する').click();
    const milestone = page.locator('form[action$="/milestones"]');
    await milestone.getByLabel('内容').fill('第5回検討会（臨時）');
    await milestone.getByLabel('日時（日本時間）').fill(jst(1));
    await milestone.getByRole('button', { name: '追加' }).click();
    expect((await page.content()).includes('第5回検討会（臨時）'), 'the milestone is on the timeline');
    await page.getByText('意見照会を開始する').click();
    const form = page.locator('form[action$="/consultations"]');
    await form.getByLabel('照会番号（例 R8-2）').fill('R8-2');
    await form.getByLabel('件名').fill('追加の意見照会');
    await form.getByLabel('開始（日本時間）').fill(jst(1));
    await form.getByLabel('締切（日本時間。地方公共団体には14日以上）').fill(jst(1 + 13 * 24));
    await form.getByRole('button', { name: '開始する' }).click();
    expect((await page.getByRole('alert').first().textContent()).includes('at least 14 days'), 'thirteen days are refused, saying why');
    const again = page.locator('form[action$="/consultations"]');
    const draft = await again.locator('select[name="draft"] option').filter({ hasText: /-draft（/ }).first().getAttribute('value');
    await again.locator('select[name="draft"]').selectOption(draft);
    await again.getByLabel('照会番号（例 R8-2）').fill('R8-2');
    await again.getByLabel('件名').fill('追加の意見照会');
    await again.getByLabel('開始（日本時間）').fill(jst(1));
    await again.getByLabel('締切（日本時間。地方公共団体には14日以上）').fill(jst(1 + 14 * 24));
    await again.getByRole('button', { name: '開始する' }).click();
    await page.waitForURL(`${base}/consultations/R8-2`);
    expect((await page.content()).includes('開始前'), 'opened, starting in an hour');
    // A document put out for opinion before the draft exists, uploaded.
    await page.getByRole('link', { name: '改定サイクル' }).click();
    await page.getByText('改定案を作成する').click();
    const start = page.locator('form[action$="/drafts"]');
    await start.getByLabel('改定案の名前（例 R8-draft2）').fill('patterns');
    await start.getByLabel(/またはファイルから/).setInputFiles({ name: 'patterns.md', mimeType: 'text/markdown',
      buffer: Buffer.from('---\nkind: guideline\nedition: 令和8年案\ntitle: データ連携方式の類型\n---\n\n# 1. 類型\n\n(1) 無害化による連携\n\nファイルを無害化して連携する。\n') });
    await start.getByRole('button', { name: '作成する' }).click();
    await page.waitForURL(`${base}/drafts/patterns`);
    expect((await page.content()).includes('ファイルを無害化して連携する'), 'the uploaded document is the draft');
  },
  async 'consultation: a town prepares on the web and by Excel, the officer with the right submits, the prefecture forwards'(page, base) {
    await signIn(page, base, 'shiwa-staff');
    await page.getByRole('link', { name: '意見照会' }).click();
    await page.getByRole('link', { name: 'R8-1' }).click();
    const clause = page.locator('.clause-row').filter({ has: page.locator('details') }).nth(2);
    await clause.locator('summary').click();
    await clause.getByLabel('意見', { exact: true }).fill('研修の実施頻度の目安を示して頂きたい。');
    await clause.getByRole('button', { name: '意見を追加' }).click();
    const answer = page.locator('#answer');
    expect((await answer.textContent()).includes('R8-1-'), 'the comment has its id');
    expect((await answer.textContent()).includes('提出権限のある職員'), 'this officer may not submit');
    expect(await answer.getByRole('button', { name: '都道府県に提出する' }).count() === 0, 'no submit button');
    // The Excel form comes down with the comment and goes back up unchanged.
    const download = page.waitForEvent('download');
    await answer.getByRole('link', { name: '回答様式（.xlsx）をダウンロード' }).click();
    const file = await (await download).path();
    await answer.getByLabel('記入した様式').setInputFiles({ name: 'R8-1_033219.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: readFileSync(file) });
    await answer.getByRole('button', { name: 'アップロードして作成中の回答を置き換える' }).click();
    expect((await page.getByRole('alert').first().textContent()).includes('登録済みの回答と同じです'), 'the round trip holds the comment');
    await signIn(page, base, 'shiwa');
    await page.goto(`${base}/consultations/R8-1`);
    await page.getByRole('button', { name: '都道府県に提出する' }).click();
    expect((await page.locator('#answer').textContent()).includes('提出済'), 'submitted to the prefecture');
    await signIn(page, base, 'iwate');
    await page.goto(`${base}/consultations/R8-1`);
    await page.getByRole('link', { name: '回答状況を見る' }).click();
    const row = page.locator('tr').filter({ hasText: '033219 紫波町' });
    await row.getByRole('button', { name: '総務省へ送付' }).click();
    expect((await page.locator('tr').filter({ hasText: '033219 紫波町' }).textContent()).includes('送付済'), 'forwarded');
    await signIn(page, base, 'admin');
    const read = await page.goto(`${base}/consultations/R8-1/answers/033219`);
    expect(read.status() === 200 && (await page.content()).includes('研修の実施頻度'), 'the ministry reads it');
  },
  async 'ministry: merges two clusters, disposes of the comments, publishes the edition; a town sees its impact'(page, base) {
    await signIn(page, base, 'admin');
    await page.goto(`${base}/consultations/R8-0`);
    await page.getByRole('link', { name: /受領した意見の整理/ }).click();
    await page.waitForURL(`${base}/consultations/R8-0/comments`);
    const count = async () => await page.locator('section.cluster').count();
    const before = await count();
    const open = page.locator('section.cluster').filter({ hasText: '未対応' });
    // A post that comes back to the same page: wait for the page itself.
    const reloaded = () => page.waitForResponse((r) => r.url().endsWith('/consultations/R8-0/comments') && r.request().method() === 'GET');
    let back = reloaded();
    await open.first().getByRole('button', { name: '統合する' }).click();
    await back;
    expect(await count() === before - 1, 'two clusters made one');
    while (await open.count() > 0) {
      const c = open.first();
      await c.locator('select[name="kind"]').selectOption({ label: '参考' });
      await c.getByLabel('考え方').fill('今後の改定の参考とします。');
      back = reloaded();
      await c.getByRole('button', { name: /件に対応を記録/ }).click();
      await back;
    }
    expect((await page.content()).includes('今後の改定の参考とします。'), 'the reason is shown');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '.xlsx' }).first().click();
    expect((await (await download).suggestedFilename()).endsWith('.xlsx'), 'the response table comes down');
    await page.getByRole('link', { name: 'R8-addendum' }).click();
    await page.getByText('この改定案を新しい版として公表する').click();
    await page.getByLabel(/版の名前/).fill('令和8年12月版');
    await page.getByLabel(/公表日/).fill('令和8年12月20日');
    await page.getByRole('button', { name: '公表する' }).click();
    const refused = page.getByRole('alert');
    if (await refused.count() > 0) throw new Error(`publication refused: ${await refused.first().textContent()}`);
    await page.waitForURL(/\/editions\//);
    expect((await page.content()).includes('令和8年12月版'), 'the new edition is published');
    await signIn(page, base, 'shiwa');
    await page.goto(`${base}/bodies/033219/policy`);
    expect((await page.content()).includes('令和8年12月版'), 'the town sees that the new edition affects it');
  },
  async 'sign out ends the session'(page, base) {
    await signIn(page, base, 'admin');
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.waitForURL(`${base}/login`);
    await page.goto(`${base}/`);
    expect(page.url().endsWith('/login'), 'signed out');
  },
  // #15 items 7–14: the ministry's and the prefectures' reading pages.
  async 'ministry: the 新旧対照表 in the site frame, its column order and its files'(page, base) {
    await signIn(page, base, 'admin');
    await page.getByRole('link', { name: '令和6年10月版 → 令和7年3月版' }).click();
    expect(await page.getByRole('navigation', { name: '現在地' }).getByRole('link', { name: 'ガイドラインの版' }).isVisible(), 'the way back');
    await page.getByLabel('列の順').selectOption('old-new');
    await page.getByRole('button', { name: '表示', exact: true }).click();
    await page.waitForURL(/columns=old-new/);
    const names = {};
    for (const label of ['Word', 'Excel', 'HTMLファイル', 'JSON', 'テキスト']) {
      const download = page.waitForEvent('download');
      await page.locator('p.downloads').getByRole('link', { name: label, exact: true }).click();
      const d = await download;
      names[label] = d.suggestedFilename();
      expect(d.url().includes('columns=old-new'), `${label} in the order chosen`);
    }
    expect(names.Excel === '新旧対照表_令和6年10月版_令和7年3月版.xlsx', `the Excel file's name: ${names.Excel}`);
    expect(names['HTMLファイル'] === '新旧対照表_令和6年10月版_令和7年3月版.html', names['HTMLファイル']);
    expect(names['テキスト'] === '新旧対照表_令和6年10月版_令和7年3月版.txt', names['テキスト']);
    await page.getByRole('navigation', { name: '現在地' }).getByRole('link', { name: 'ガイドラインの版' }).click();
    await page.waitForURL(`${base}/`);
  },
  async 'committee: the same edition, the wrong way round, none or an unknown one'(page, base) {
    await signIn(page, base, 'committee');
    await page.goto(`${base}/diff?old=令和7年3月版&new=令和7年3月版`);
    expect(await page.getByText('令和7年3月版 と 令和7年3月版 の間に変更はありません。').isVisible(), 'nothing changed');
    await page.goto(`${base}/diff?old=令和7年3月版&new=令和6年10月版`);
    expect(await page.getByText('令和7年3月版 は 令和6年10月版 より新しい版です。', { exact: false }).isVisible(), 'warned');
    await page.getByRole('link', { name: '入れ替える' }).click();
    await page.waitForURL(/old=%E4%BB%A4%E5%92%8C6/);
    expect((await page.content()).includes('（傍線部分は改正部分）'), 'the table the right way round');
    await page.goto(`${base}/diff`);
    expect(!(await page.content()).includes('deserialize'), 'no parser message');
    await page.getByLabel('旧', { exact: true }).selectOption('令和6年10月版');
    await page.getByLabel('新', { exact: true }).selectOption('令和7年3月版');
    await page.getByRole('button', { name: '比べる' }).click();
    expect((await page.content()).includes('（傍線部分は改正部分）'), 'chosen and compared');
    const unknown = await page.goto(`${base}/diff?old=令和6年10月版&new=令和9年版`);
    expect(unknown.status() === 404, 'an unknown edition is not found');
    expect(await page.getByRole('alert').getByText('「令和9年版」という版は登録されていません。').isVisible(), 'said so');
    expect(await page.getByRole('button', { name: '比べる' }).isVisible(), 'with the editions to choose from');
  },
  async 'vendor: an edition’s contents, a clause’s changes, the other editions, next and previous'(page, base) {
    await signIn(page, base, 'vendor');
    await page.goto(`${base}/editions/令和7年3月版`);
    const toc = page.getByRole('navigation', { name: '目次' });
    await toc.getByRole('link', { name: '5.1. サーバ等の管理' }).click();
    expect(page.url().endsWith('#s4-1'), `the contents lead into the page: ${page.url()}`);
    expect(await page.locator('.commentary .tag').first().textContent() === '解説', 'commentary is labelled');
    await page.goto(`${base}/editions/令和7年3月版/clauses/s4-1-7`);
    expect((await page.title()).startsWith('(7) 機器の廃棄・データ消去 — 令和7年3月版'), await page.title());
    expect(await page.getByRole('heading', { name: '令和6年10月版 からの変更' }).isVisible(), 'what changed since');
    expect(await page.locator('table.since ins').count() > 0, 'underlined');
    await page.getByRole('navigation', { name: 'ほかの版のこの条項' }).getByRole('link', { name: '令和6年10月版' }).click();
    await page.waitForURL(/%E4%BB%A4%E5%92%8C6%E5%B9%B410%E6%9C%88%E7%89%88\/clauses\/s4-1-7$/);
    await page.locator('a[rel=next]').click();
    expect(!page.url().endsWith('/s4-1-7'), 'the next clause');
    await page.locator('a[rel=prev]').click();
    expect(page.url().endsWith('/s4-1-7'), 'and back');
  },
  async 'town officer: search grouped by document, paged, a hint for one character'(page, base) {
    await signIn(page, base, 'shiwa');
    await page.getByRole('link', { name: '検索' }).click();
    await page.getByLabel('検索語（2文字以上）').fill('情報');
    await page.getByRole('button', { name: '検索' }).click();
    const groups = page.locator('section.hits h2');
    expect(await groups.count() >= 1, 'grouped by document');
    expect((await groups.first().textContent()).includes('令和8年12月版'), 'the newest edition first');
    expect(await page.locator('section.hits .path').first().isVisible(), 'each hit with its path');
    await page.getByRole('link', { name: '次のページ' }).click();
    expect(await page.getByText('51〜100 件目', { exact: false }).isVisible(), 'the second page');
    await page.getByLabel('検索語（2文字以上）').fill('鍵');
    await page.getByRole('button', { name: '検索' }).click();
    expect(await page.getByText('2文字以上で検索してください。', { exact: false }).isVisible(), 'a hint in Japanese');
    expect(!(await page.content()).includes('search for at least'), 'not the API’s English');
  },
  async 'prefecture officer: municipalities summed up, filtered, ordered, exported; another prefecture'(page, base) {
    await signIn(page, base, 'iwate');
    await page.getByRole('link', { name: '管内の状況' }).first().click();
    expect(await page.getByRole('heading', { name: /概況/ }).isVisible(), 'the summary at the top');
    await page.getByLabel('表示', { exact: true }).selectOption('behind');
    await page.getByLabel('並べ方', { exact: true }).selectOption('impact');
    await page.getByRole('button', { name: '適用' }).click();
    await page.waitForURL(/show=behind&order=impact/);
    const rows = await page.locator('table.status tbody tr').count();
    expect(rows >= 1 && rows <= 3, `the bodies behind: ${rows}`);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'この一覧をExcelでダウンロード' }).click();
    expect((await download).suggestedFilename() === '岩手県_管内の状況.xlsx', 'the workbook');
    await page.goto(`${base}/prefectures/130001/status`);
    expect(await page.locator('table').count() === 0, 'no empty table');
    await page.getByRole('link', { name: '自らの管内の状況へ' }).click();
    await page.waitForURL(`${base}/prefectures/030007/status`);
  },
  async 'every role: the menu leads only where the role may go; errors in one language'(page, base) {
    for (const login of ['admin', 'committee', 'iwate', 'shiwa', 'vendor']) {
      await signIn(page, base, login);
      const links = await page.locator('header nav.menu-wide a, header a.logo').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links.length >= 4, `${login}: ${links}`);
      for (const link of links) {
        const res = await page.goto(`${base}${link}`);
        expect(res.status() < 400, `${login} is offered ${link}, which answers ${res.status()}`);
      }
    }
    await page.getByRole('link', { name: 'English' }).click();
    const missing = await page.goto(`${base}/no/such/page`);
    expect(missing.status() === 404, 'not found');
    const text = await page.locator('main').textContent();
    expect(!/[\u3041-\u309f\u30a1-\u30fa]/.test(text), `English only: ${text}`);
    await page.getByRole('link', { name: /^Back to/ }).first().click();
    expect(page.url() === `${base}/`, 'the way back');
  },
  async 'small screens: a compact menu, the header on one line, 要判断 on one line; no 404 for an icon'(page, base) {
    const notFound = [];
    page.on('response', (r) => { if (r.status() === 404) notFound.push(r.url()); });
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, base, 'iwate');
    const header = await page.locator('header').boundingBox();
    expect(header.height < 80, `the header stays short: ${header.height}`);
    expect(!(await page.getByRole('button', { name: 'サインアウト' }).isVisible()), 'sign-out is in the menu');
    await page.locator('details.menu-compact summary').click();
    const out = await page.getByRole('button', { name: 'サインアウト' }).boundingBox();
    expect(out.width > out.height, `サインアウト is written across: ${out.width}×${out.height}`);
    await page.locator('details.menu-compact').getByRole('link', { name: '管内の状況' }).click();
    await page.waitForURL(/\/prefectures\/030007\/status/);
    const lines = await page.locator('td.impact .sev').evaluateAll((spans) => spans.map((s) => s.getClientRects().length));
    expect(lines.length > 0 && lines.every((n) => n === 1), `要判断 on one line: ${lines}`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(wide <= 390, `the page itself does not scroll sideways: ${wide}`);
    // Headless Chromium fetches no icon by itself: ask for the one the
    // page names, and for where other browsers look.
    const icon = await page.locator('link[rel=icon]').getAttribute('href');
    const named = await page.request.get(`${base}${icon}`);
    expect(named.status() === 200 && named.headers()['content-type'] === 'image/svg+xml', `the icon: ${named.status()}`);
    const guessed = await page.request.get(`${base}/favicon.ico`);
    expect(guessed.status() === 200 && guessed.url().endsWith(icon), `/favicon.ico leads to it: ${guessed.status()}`);
    expect(notFound.length === 0, `404s: ${notFound}`);
  },
  async 'the new pages pass axe, wide and small'(page, base) {
    const problems = [];
    const check = async (url) => {
      await page.goto(`${base}${url}`);
      for (const p of await accessibilityProblems(page)) problems.push(`${page.viewportSize().width}px ${url}: ${p}`);
    };
    for (const width of [1200, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await signIn(page, base, 'iwate');
      for (const url of ['/diff', '/diff?old=令和6年10月版&new=令和9年版', '/diff?old=令和7年3月版&new=令和6年10月版',
        '/editions/令和7年3月版/clauses/s4-1-7', '/search?q=情報&page=2', '/search?q=鍵',
        '/prefectures/030007/status?show=behind&order=impact', '/prefectures/130001/status', '/no/such/page', '/cycles']) {
        await check(url);
      }
    }
    expect(problems.length === 0, problems.join('\n'));
  },
  // This year's records (#18): a town's register and its organs'
  // policies, the ministry's national views, each page through axe.
  async 'town officer: keeps its disposal register — upload, a flagged row fixed, a certificate attached'(page, base) {
    const problems = [];
    const axe = async (what) => { for (const p of await accessibilityProblems(page)) problems.push(`${what}: ${p}`); };
    await signIn(page, base, 'shiwa');
    await page.getByRole('link', { name: '機器の廃棄・データ消去' }).first().click();
    await page.waitForURL(`${base}/bodies/033219/disposal`);
    const first = page.locator('table.register tbody tr').first();
    expect(await first.getAttribute('class') === 'flagged', 'flagged items first');
    expect((await first.textContent()).includes('SV-001'), 'the leased server returned unerased leads');
    await axe('the register');
    // Upload: the register as exported comes back unchanged; a file that
    // is no register stores nothing and says so.
    const exported = await (await page.request.get(`${base}/bodies/033219/disposal.xlsx`)).body();
    const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    await page.getByLabel('台帳ファイル（.xlsx）').setInputFiles({ name: '台帳.xlsx', mimeType: xlsxType, buffer: exported });
    await page.getByRole('button', { name: '取り込む' }).click();
    await page.waitForURL(/imported=0-0-8/);
    expect((await page.locator('#imported').textContent()).includes('変更なし 8'), 'said what the import did');
    await page.getByLabel('台帳ファイル（.xlsx）').setInputFiles({ name: '台帳.xlsx', mimeType: xlsxType, buffer: Buffer.from('not a workbook') });
    await page.getByRole('button', { name: '取り込む' }).click();
    expect((await page.getByRole('alert').textContent()).includes('何も保存していません'), 'refused, nothing saved');
    await axe('an upload refused');
    // A flagged row fixed: the server destroyed before a witness.
    await page.getByRole('link', { name: 'SV-001', exact: true }).click();
    await page.waitForURL(/\/disposal\/items\/SV-001/);
    await axe('an item');
    await page.getByLabel('消去方法').selectOption('物理破壊');
    await page.getByLabel('立会者').fill('総務課 紫波一郎');
    await page.getByRole('button', { name: '保存する' }).click();
    await page.waitForURL(/items\/SV-001/);
    const left = await page.locator('.alert').textContent();
    expect(!left.includes('不十分') && left.includes('消去証明書がない'), `the method is fixed, the certificate still missing: ${left}`);
    // A certificate attached: stored with its SHA-256, the finding gone.
    await page.getByLabel('種類').selectOption('certificate');
    await page.getByLabel('ファイル', { exact: true }).setInputFiles({ name: '消去証明書_SV-001.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 certificate') });
    await page.getByRole('button', { name: '添付する' }).click();
    await page.waitForURL(/#attachments/);
    expect((await page.locator('.done').textContent()).includes('指摘はありません'), 'nothing flagged any more');
    expect((await page.locator('code.digest').first().textContent()).length === 64, 'its SHA-256 shown');
    await axe('an item with its certificate');
    await page.getByRole('link', { name: /機器の廃棄・データ消去台帳/ }).click();
    const row = page.locator('table.register tbody tr').filter({ hasText: 'SV-001' });
    expect(await row.getAttribute('class') !== 'flagged', 'the server is no longer flagged');
    expect(problems.length === 0, problems.join('\n'));
  },
  async "town officer: its organs' cybersecurity policies under the Local Autonomy Act"(page, base) {
    const problems = [];
    await signIn(page, base, 'shiwa');
    await page.getByRole('link', { name: 'サイバーセキュリティ方針' }).first().click();
    await page.waitForURL(`${base}/bodies/033219/cybersecurity`);
    expect((await page.locator('.notice').textContent()).includes('まだ登録されていません'), 'prefilled, not yet recorded');
    for (const p of await accessibilityProblems(page)) problems.push(`organs: ${p}`);
    await page.getByLabel('首長 の状況').selectOption('own');
    await page.getByLabel('首長 の策定・指定日').fill('2026-03-25');
    await page.getByLabel('首長 の公表先').fill('https://www.town.shiwa.iwate.jp/cybersecurity');
    await page.getByLabel('教育委員会 の状況').selectOption('designated');
    await page.getByLabel('教育委員会 の策定・指定日').fill('2026-04-01');
    await page.getByLabel('農業委員会 を一覧から除く').check();
    await page.getByLabel('機関を追加').fill('公営企業管理者');
    await page.getByRole('button', { name: '保存する' }).click();
    await page.waitForURL(/cybersecurity#saved/);
    expect(await page.locator('.notice').count() === 0, 'recorded');
    const text = await page.locator('main').textContent();
    expect(text.includes('公営企業管理者') && !text.includes('農業委員会'), 'the list as the officer keeps it');
    expect((await page.locator('.alert').textContent()).includes('方針のない機関が 6 あります'), 'the organs still lacking counted');
    await page.getByLabel('首長 の公表先').fill('javascript:alert(1)');
    await page.getByRole('button', { name: '保存する' }).click();
    expect((await page.getByRole('alert').first().textContent()).includes('URL'), 'a URL that is none is refused');
    for (const p of await accessibilityProblems(page)) problems.push(`organs refused: ${p}`);
    expect(problems.length === 0, problems.join('\n'));
  },
  async "ministry and prefecture: the records' national views"(page, base) {
    const problems = [];
    const axe = async (what) => { for (const p of await accessibilityProblems(page)) problems.push(`${what}: ${p}`); };
    await signIn(page, base, 'admin');
    await page.getByRole('link', { name: '全国の機器廃棄・データ消去' }).click();
    await page.waitForURL(`${base}/disposal`);
    expect((await page.locator('main').textContent()).includes('紫波町'), 'the town among the bodies flagged');
    await axe('disposal nationally');
    await page.getByLabel('3A', { exact: true }).selectOption('物理破壊');
    await page.getByRole('button', { name: '規則表を保存する' }).click();
    await page.waitForURL(/disposal#rules/);
    expect(await page.getByLabel('3A', { exact: true }).inputValue() === '物理破壊', 'the rule table saved');
    await page.getByLabel('3A', { exact: true }).selectOption('磁気破壊');
    await page.getByRole('button', { name: '規則表を保存する' }).click();
    await page.waitForURL(/disposal#rules/);
    await page.getByRole('link', { name: '全国のサイバーセキュリティ方針' }).click();
    await page.waitForURL(`${base}/cybersecurity`);
    const main = await page.locator('main').textContent();
    expect(main.includes('団体区分別') && main.includes('都道府県別') && main.includes('方針のない機関がある団体'), 'by kind, by prefecture, the bodies lacking');
    await axe('cybersecurity nationally');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Excelでダウンロード' }).click();
    expect((await download).suggestedFilename() === 'サイバーセキュリティ方針の策定状況.xlsx', 'the workbook named');
    await page.getByRole('button', { name: 'サインアウト' }).first().click();
    await signIn(page, base, 'iwate');
    await page.getByRole('link', { name: '管内のサイバーセキュリティ方針' }).click();
    await page.waitForURL(`${base}/prefectures/030007/cybersecurity`);
    expect((await page.locator('main').textContent()).includes('紫波町'), "the prefecture's municipalities");
    await axe("the prefecture's municipalities");
    const other = await page.request.get(`${base}/bodies/033219/disposal`);
    expect(other.status() === 404, `a municipality's register is not the prefecture's: ${other.status()}`);
    expect(problems.length === 0, problems.join('\n'));
  },
  // Data linkage and the self-assessment (#19).
  async 'town officer: records its linkage patterns and ratings, and sees its heat map'(page, base) {
    const problems = [];
    const axe = async (what) => { for (const p of await accessibilityProblems(page)) problems.push(`${what}: ${p}`); };
    await signIn(page, base, 'shiwa');
    await page.getByRole('link', { name: 'データ連携のリスク分析' }).first().click();
    await page.waitForURL(`${base}/bodies/033219/linkage`);
    await axe('the linkage record');
    const screen = page.locator('table.status tbody tr').filter({ hasText: '画面転送' });
    expect((await screen.textContent()).includes('3 / 4'), 'screen transfer: one scenario not yet rated');
    const afterCells = async () => page.locator('table[aria-labelledby="heat-after"] td strong').allTextContents();
    const before = (await afterCells()).reduce((a, n) => a + Number(n), 0);
    // The screen-transfer outage rated, before and after its controls.
    await page.locator('select[name="bl_1_3"]').selectOption('3');
    await page.locator('select[name="bi_1_3"]').selectOption('4');
    await page.locator('select[name="al_1_3"]').selectOption('1');
    await page.locator('select[name="ai_1_3"]').selectOption('4');
    // One-way transfer into the My Number segment added.
    await page.locator('select[name="new_pattern"]').selectOption('one-way-transfer');
    await page.locator('select[name="new_from"]').selectOption('lgwan');
    await page.locator('select[name="new_to"]').selectOption('mynumber');
    await page.getByRole('button', { name: '保存する' }).click();
    await page.waitForURL(/linkage#saved/);
    expect((await screen.textContent()).includes('4 / 4'), 'all four rated now');
    const after = (await afterCells()).reduce((a, n) => a + Number(n), 0);
    expect(after === before + 1, `the heat map counts the new rating: ${before} → ${after}`);
    expect((await page.locator('fieldset.use legend').allTextContents()).some((t) => t.includes('一方向転送')), 'the pattern added');
    // Likelihood without impact: refused, nothing saved.
    await page.locator('select[name="bl_3_0"]').selectOption('5');
    await page.getByRole('button', { name: '保存する' }).click();
    expect((await page.getByRole('alert').textContent()).includes('両方を選んでください'), 'said what is missing');
    await axe('a rating refused');
    expect(problems.length === 0, problems.join('\n'));
  },
  async 'town officer: answers its self-assessment, attaches evidence, sees the years'(page, base) {
    const problems = [];
    const axe = async (what) => { for (const p of await accessibilityProblems(page)) problems.push(`${what}: ${p}`); };
    await signIn(page, base, 'shiwa');
    await page.getByRole('link', { name: '自己点検' }).first().click();
    await page.waitForURL(/\/bodies\/033219\/assessment/);
    expect((await page.locator('main').textContent()).includes('前年度から引継ぎ'), "last year's answers carried over");
    await axe('the self-assessment');
    const row = page.locator('table.checklist tbody tr').first();
    const id = await row.getAttribute('id');
    const select = row.locator('select');
    const now = await select.inputValue();
    const chosen = now === 'not_done' ? 'partial' : 'not_done';
    await select.selectOption(chosen);
    await row.locator('input').fill('令和9年度に対応予定');
    await page.getByRole('button', { name: '回答を保存する' }).click();
    await page.waitForURL(/assessment\?year=\d+#saved/);
    const saved = page.locator(`#${id}`);
    expect(await saved.locator('select').inputValue() === chosen, 'the answer saved');
    expect(!(await saved.textContent()).includes('前年度から引継ぎ'), "now this year's own answer");
    await page.getByLabel('ファイル', { exact: true }).setInputFiles({ name: '研修実施記録.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 training record') });
    await page.getByRole('button', { name: '添付する' }).click();
    await page.waitForURL(/#item-/);
    expect(await page.getByRole('link', { name: '研修実施記録.pdf' }).isVisible(), 'the evidence listed with its item');
    await axe('an answer saved, evidence attached');
    await page.locator('table.numbers').nth(1).getByRole('link', { name: '令和6年度' }).click();
    await page.waitForURL(/year=2024/);
    expect((await page.locator('h1').textContent()).includes('令和6年度'), 'a year before');
    expect(problems.length === 0, problems.join('\n'));
  },
  async "ministry: the national picture of data linkage, its workbook, matrix and questions"(page, base) {
    const problems = [];
    const axe = async (what) => { for (const p of await accessibilityProblems(page)) problems.push(`${what}: ${p}`); };
    await signIn(page, base, 'admin');
    await page.getByRole('link', { name: '全国のデータ連携' }).click();
    await page.waitForURL(`${base}/linkage`);
    const main = await page.locator('main').textContent();
    expect(main.includes('政令指定都市') && main.includes('都道府県別') && main.includes('シナリオごとの残存リスクの水準'), 'by kind, by prefecture, residual levels');
    await axe('linkage nationally');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'リスク分析をExcelで出力' }).click();
    expect((await download).suggestedFilename() === 'データ連携のリスク分析.xlsx', 'the workbook named');
    await page.locator('#matrix-text').fill('水準: 低 高\n5: 低 高 高 超 高\n');
    await page.getByRole('button', { name: 'リスクマトリクスを保存する' }).click();
    const alert = await page.getByRole('alert').textContent();
    expect(alert.includes('2行目') && alert.includes('何も保存していません'), `each wrong line named: ${alert}`);
    await axe('a matrix refused');
    await page.getByRole('link', { name: '自己点検の設問' }).click();
    await page.waitForURL(`${base}/assessment/questions`);
    expect((await page.locator('#questions-text').inputValue()).includes('を規定のとおり実施していますか。'), 'the questions by key');
    await axe('the questions');
    expect(problems.length === 0, problems.join('\n'));
  },
  // A town officer (#15 items 1–6), on a demo of its own: the journeys
  // above adopt the town's review, and these need it as it comes.
  async 'town officer: a deep link returns after sign-in (this site only); home is the policy, its next step on the first screen'(page) {
    const base = await officerDemo();
    await page.goto(`${base}/bodies/033219/policy/review?show=conflicts`);
    expect(page.url().includes('/login?next='), 'asked to sign in first');
    await officerAxe(page, 'the sign-in page with where to go');
    await page.getByLabel('ログイン名').fill('shiwa');
    await page.getByLabel('パスワード').fill('wrong password');
    await page.getByRole('button', { name: 'サインイン' }).click();
    const alert = page.getByRole('alert');
    expect((await alert.textContent()).includes('ログイン名またはパスワードが違います'), 'said as an error');
    expect(await page.getByLabel('ログイン名').inputValue() === 'shiwa', 'the name is kept');
    await officerAxe(page, 'a failed sign-in');
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.waitForURL(`${base}/bodies/033219/policy/review?show=conflicts`);
    expect((await page.locator('.filter a[aria-current="page"]').textContent()).startsWith('競合'), 'back where it was asked, filtered');
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.goto(`${base}/login?next=//evil.example/`);
    await page.getByLabel('ログイン名').fill('shiwa');
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.waitForURL(`${base}/bodies/033219/policy`);
    // The first screen: where the policy stands and the next step.
    const next = page.getByRole('link', { name: '改定の確認へ' });
    const box = await next.boundingBox();
    expect(box && box.y + box.height < page.viewportSize().height, 'the next step is on the first screen');
    const overview = await page.locator('.overview').textContent();
    for (const words of ['令和7年4月1日施行', '令和6年10月版', '最新の版は 令和7年3月版', '非公開', '要判断', '要確認', '参考']) {
      expect(overview.includes(words), `the overview says ${words}`);
    }
    await officerAxe(page, "the town's home");
    await page.getByRole('link', { name: '検索' }).click();
    await page.getByRole('link', { name: '自団体のポリシー' }).click();
    await page.waitForURL(`${base}/bodies/033219/policy`);
  },
  async 'town officer: an impact row opens its review item; an edit without text is said in Japanese, in place'(page) {
    const base = await officerDemo();
    await signIn(page, base, 'shiwa');
    await page.getByText(/影響の一覧/).click();
    const row = page.locator('details.impact tr').filter({ has: page.getByRole('link', { name: '確認する' }) }).first();
    const clause = await row.locator('td').nth(1).getByRole('link').getAttribute('href');
    expect(clause.startsWith('/bodies/033219/policy/clauses/'), 'the row links to its clause');
    await row.getByRole('link', { name: '確認する' }).click();
    const key = page.url().split('#r-')[1];
    expect(key, 'to its review item');
    expect(await page.locator(`[id="r-${decodeURIComponent(key)}"]`).isVisible(), 'which is on the page');
    const item = page.locator('section.review.conflict').first();
    await item.getByLabel('修正して採用').check();
    await item.getByLabel('修正文（段落ごとに改行）').fill('');
    await item.getByRole('button', { name: '判断を保存' }).click();
    const said = page.locator('section.review.conflict').first().getByRole('alert');
    await said.waitFor();
    expect((await said.textContent()).includes('修正文が必要です'), 'in Japanese, on the item');
    expect(await page.locator('section.review.conflict').first().getByLabel('修正文（段落ごとに改行）').isVisible(), 'the edit stays chosen, its box open to type in');
  },
  async 'town officer: the review filtered and counted, the rest accepted, its 新旧対照表, adopted as a named revision, made public'(page) {
    const base = await officerDemo();
    await signIn(page, base, 'shiwa');
    await page.goto(`${base}/bodies/033219/policy/review`);
    const progress = page.locator('#progress');
    const counted = async () => Number((await progress.textContent()).match(/(\d+) 件を判断済み/)[1]);
    expect(await counted() === 0, 'nothing decided yet');
    // The guideline's own change beside the two texts, what differs marked.
    const changed = page.locator('section.review.changed').first();
    expect(await changed.locator('.guideline-change a').count() > 0, "the guideline's clause, linked");
    expect(await page.locator('ins.diff').count() > 0 && await page.locator('del.diff').count() > 0, 'differences marked');
    await page.getByRole('link', { name: /^競合（/ }).click();
    await page.waitForURL(/show=conflicts/);
    const conflicts = await page.locator('section.review').count();
    expect(conflicts === await page.locator('section.review.conflict').count() && conflicts > 0, 'only the conflicts');
    await officerAxe(page, 'the review, filtered');
    const first = page.locator('section.review.conflict').first();
    await first.getByLabel('現行を維持').check();
    await first.getByRole('button', { name: '判断を保存' }).click();
    await page.locator('#progress').getByText(/ 1 件を判断済み/).waitFor();
    await page.getByRole('button', { name: /競合以外の提案をすべて採用/ }).click();
    await page.waitForURL(/show=conflicts/);
    const total = Number((await progress.textContent()).match(/(\d+) 件中/)[1]);
    expect(await counted() === total - conflicts + 1, 'the rest accepted at once');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '新旧対照表（Word）をダウンロード' }).click();
    expect((await download).suggestedFilename() === '新旧対照表_紫波町_令和7年4月1日施行_改定案.docx', 'the table for the approval, named');
    // Adopting asks for the new version's name and date, saying what is wrong.
    await page.getByLabel(/新しい版の名前/).fill('令和8年4月1日施行');
    await page.getByLabel(/日付（施行日または公表日/).fill('来年の春');
    await page.getByRole('button', { name: '確認結果をポリシーに反映' }).click();
    const wrong = page.locator('#adopt [role=alert]');
    expect((await wrong.textContent()).includes('日付を'), 'the date is refused, in words');
    expect(await page.getByLabel(/新しい版の名前/).inputValue() === '令和8年4月1日施行', 'the name is kept');
    await officerAxe(page, 'the review, adopting refused');
    await page.goto(`${base}/bodies/033219/policy/review?show=undecided`);
    while (await page.locator('section.review.conflict').count() > 0) {
      const item = page.locator('section.review.conflict').first();
      await item.getByLabel('現行を維持').check();
      const saved = page.waitForResponse((r) => r.request().method() === 'POST');
      await item.getByRole('button', { name: '判断を保存' }).click();
      await saved;
      await page.reload();
    }
    expect((await progress.textContent()).includes('競合はすべて判断済みです'), 'ready to adopt');
    await page.getByLabel(/新しい版の名前/).fill('令和8年4月1日施行');
    await page.getByLabel(/日付（施行日または公表日/).fill('令和8年4月1日');
    await page.getByRole('button', { name: '確認結果をポリシーに反映' }).click();
    await page.waitForURL(`${base}/bodies/033219/policy?done=adopted`);
    const done = await page.locator('.done').textContent();
    expect(done.includes('新しい版「令和8年4月1日施行」') && done.includes('前の版「令和7年4月1日施行」'), 'confirmed, naming both');
    expect((await page.locator('.overview').textContent()).includes('2026-04-01（令和8年4月1日）'), 'with its date');
    await officerAxe(page, 'the policy, adopted');
    const table = page.waitForEvent('download');
    await page.locator('.done').getByRole('link', { name: /新旧対照表/ }).click();
    expect((await table).suggestedFilename() === '新旧対照表_紫波町_令和7年4月1日施行_令和8年4月1日施行.docx', "the revision's table, named by both versions");
    await page.getByRole('button', { name: '公開する' }).click();
    await page.waitForURL(`${base}/bodies/033219/policy?done=public`);
    expect((await page.locator('.done').textContent()).includes('公開しました'), 'making it public is confirmed');
  },
  async 'town officer: provenance in words; the same clause saved in two tabs keeps what was typed'(page) {
    const base = await officerDemo();
    await signIn(page, base, 'shiwa');
    // The revision adopted above records where each clause comes from.
    const from = page.locator('p.prov').filter({ hasText: '由来：' }).first();
    const named = await from.getByRole('link').textContent();
    expect(named.startsWith('ガイドライン 令和7年3月版 '), `named in words: ${named}`);
    await from.getByRole('link').click();
    await page.waitForURL(/\/editions\/.*\/clauses\//);
    await page.goto(`${base}/bodies/033219/policy`);
    const clause = await page.getByRole('link', { name: '第1条', exact: true }).first().getAttribute('href');
    const other = await page.context().newPage();
    await page.goto(`${base}${clause}`);
    await other.goto(`${base}${clause}`);
    await page.getByLabel('本文（段落ごとに改行）').fill('一つ目のタブで保存した文。');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(`${base}${clause}`);
    await other.getByLabel('本文（段落ごとに改行）').fill('二つ目のタブで書いた文。');
    await other.getByRole('button', { name: '保存' }).click();
    expect((await other.getByRole('alert').textContent()).includes('別のタブ・ウィンドウから保存されました'), 'the conflict is on the form, in Japanese');
    expect(await other.getByLabel(/あなたの入力/).inputValue() === '二つ目のタブで書いた文。', 'nothing typed is lost');
    expect((await other.locator('.newer').textContent()).includes('一つ目のタブで保存した文。'), 'the newer text beside it');
    await officerAxe(other, 'a stale save');
    await other.getByRole('button', { name: '入力した本文で保存し直す' }).click();
    await other.waitForURL(`${base}${clause}`);
    const saved = await other.content();
    expect(saved.includes('二つ目のタブで書いた文。') && saved.includes('一つ目のタブで保存した文。'), 'saved, the other in the history');
    await other.close();
  },
  async 'body officer: a body without a policy is told so, at home'(page) {
    const base = await officerDemo();
    await signIn(page, base, 'chiyoda');
    await page.waitForURL(`${base}/bodies/131016/policy`);
    expect((await page.locator('main').textContent()).includes('千代田区 のポリシーは、まだ登録されていません'), 'said, with what to do');
    await officerAxe(page, 'a home without a policy');
  },
  async 'town officer: every new page passes axe (WCAG 2.1 A/AA, serious and critical)'() {
    expect(officerProblems.length === 0, officerProblems.join('\n'));
  },
};

// The town officer's journeys run on a demo of their own, started once.
let officerServer;
let officerChild;
async function officerDemo() {
  if (!officerServer) officerServer = startDemo();
  const { child, base } = await officerServer;
  officerChild = child;
  return base;
}
process.on('exit', () => officerChild?.kill());
const officerProblems = [];
async function officerAxe(page, what) {
  for (const p of await accessibilityProblems(page)) officerProblems.push(`${what} (${page.url()}): ${p}`);
}

const { child, base } = await startDemo();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let passed = 0;
let failed = 0;
for (const [name, journey] of Object.entries(journeys)) {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  try {
    await journey(page, base);
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed += 1;
    mkdirSync(failures, { recursive: true });
    const shot = path.join(failures, `${name.replace(/[^\w]+/g, '_')}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    console.log(`FAIL ${name}: ${e.message} (screenshot ${shot})`);
  }
  await context.close();
}
await browser.close();
child.kill();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
