// Measures the page in Debian's headless Chromium (not part of the tests):
//   first plan: navigation start to the example's plan on screen;
//   keystrokes: with the Quivr corpus loaded, each key's time until the
//     frame that shows it is drawn (the Event Timing API is not used: in
//     headless Chromium a frame where only the textarea changes reports
//     its paint late, so every key of a round seemed to wait for its end);
//   plan latency: last keystroke to the new plan on screen;
//   both typing into the first file and into the last in the list.
// Run after a build: node tests/browser/bench.mjs [rounds]
import { chromium } from "playwright-core";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { serveDist } from "./serve-dist.mjs";

const ROUNDS = Number(process.argv[2] ?? 10);
const CORPUS = process.env.PREFLIGHT_CORPUS ?? new URL("../../../shared/corpus/", import.meta.url).pathname;
const QUIVR = join(CORPUS, "QuivrHQ__quivr");

const server = await serveDist();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
});
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const max = (values) => Math.max(...values);

const firstPlans = [];
for (let round = 0; round < ROUNDS; round++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  const handle = await page.waitForFunction(() => {
    const summary = document.querySelector("[data-testid=summary]");
    return /statements in/.test(summary?.textContent ?? "") && performance.now();
  }, null, { polling: "raf" });
  firstPlans.push(await handle.jsonValue());
  await context.close();
}
console.log(`first plan of the example: median ${median(firstPlans).toFixed(0)} ms, max ${max(firstPlans).toFixed(0)} ms (${ROUNDS} fresh page loads)`);

if (!existsSync(QUIVR)) {
  console.log(`SKIPPED the Quivr measurements: ${QUIVR} is not present`);
} else {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId("folder-input").setInputFiles(QUIVR);
  await page.waitForFunction(() => Number((document.querySelector("[data-testid=summary]")?.textContent ?? "").match(/statements in (\d+) files/)?.[1]) > 60);
  const loaded = await page.getByTestId("summary").textContent();
  console.log(`Quivr loaded: ${loaded}`);
  const [, statements, files] = loaded.match(/^(\d+) statements in (\d+) files/).map(Number);
  await page.evaluate(() => {
    // Main-thread tasks over 50 ms (parsing the worker's answer, redrawing).
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => ({ at: e.startTime, ms: e.duration }))))
      .observe({ type: "longtask", buffered: false });
    window.keyFrames = [];
    document.addEventListener("keydown", () => {
      const at = performance.now();
      window.lastKey = at;
      // The task after the next frame's callbacks runs once that frame
      // is drawn: the key's handling, style, layout and paint are done.
      requestAnimationFrame(() => setTimeout(() => window.keyFrames.push(performance.now() - at), 0));
    }, true);
  });
  const editor = page.getByTestId("sql-editor");
  const rows = page.getByTestId("file-row");
  // The file open after loading (the first), then the last in the list:
  // people mostly edit the newest migration, which runs last.
  const targets = [["the first file", null], ["the last file", rows.last()]];
  let typed = 0;
  for (const [target, row] of targets) {
    if (row) await row.getByTestId("file-name").click();
    const name = await page.getByTestId("open-file").textContent();
    await page.evaluate(() => { window.keyFrames = []; });
    const latencies = [];
    // The worker's own time for each plan (parse, plan, runbook, lints).
    const workerMillis = [];
    const blocked = [];
    for (let round = 0; round < ROUNDS; round++) {
      await editor.click();
      await page.keyboard.press("Control+End");
      await page.keyboard.type(`\ncreate table bench_${typed} (id int);`, { delay: 30 });
      typed += 1;
      // The plan of the whole text: one more statement, none broken, and no
      // newer plan on its way.
      const ms = await page.evaluate((expected) => new Promise((resolve) => {
        const typedAt = window.lastKey;
        window.roundFrom = typedAt;
        const seen = () => (document.querySelector("[data-testid=summary]")?.textContent ?? "").startsWith(expected)
          && !document.querySelector("[data-testid=planning]");
        if (seen()) return resolve(0);
        new MutationObserver((_, observer) => {
          if (seen()) {
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - typedAt));
          }
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
      }), `${statements + typed} statements in ${files} files, 0 syntax errors`);
      latencies.push(ms);
      // The main thread's long tasks between the last key and the plan on screen.
      blocked.push(await page.evaluate((ms) => window.longTasks
        .filter((task) => task.at >= window.roundFrom && task.at <= window.roundFrom + ms)
        .reduce((sum, task) => sum + task.ms, 0), ms));
      const summary = await page.getByTestId("summary").textContent();
      workerMillis.push(Number(summary.match(/planned in ([\d.]+) ms/)[1]));
    }
    const keys = await page.evaluate(() => window.keyFrames);
    const p95 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)];
    console.log(`typing into ${target} (${name}), Quivr loaded: ${keys.length} keys; key to its frame drawn: median ${median(keys).toFixed(0)} ms, p95 ${p95(keys).toFixed(0)} ms, max ${max(keys).toFixed(0)} ms`);
    console.log(`  plan on screen after the last keystroke: median ${median(latencies).toFixed(0)} ms, max ${max(latencies).toFixed(0)} ms (${ROUNDS} rounds); the worker planned in median ${median(workerMillis).toFixed(0)} ms, max ${max(workerMillis).toFixed(0)} ms; the page's main thread was busy in long tasks for median ${median(blocked).toFixed(0)} ms, max ${max(blocked).toFixed(0)} ms of it`);
  }
  await context.close();
}
// The dependency graph's layout, per corpus project (as the page reports it).
if (existsSync(CORPUS)) {
  for (const project of readdirSync(CORPUS).filter((name) => statSync(join(CORPUS, name)).isDirectory()).sort()) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByTestId("folder-input").setInputFiles(join(CORPUS, project));
    const files = readdirSync(join(CORPUS, project)).filter((name) => name.endsWith(".sql")).length;
    await page.waitForFunction((files) => new RegExp(`statements in ${files} files`).test(document.querySelector("[data-testid=summary]")?.textContent ?? ""), files);
    console.log(`graph of ${project}: ${await page.getByTestId("graph-summary").textContent()}`);
    await context.close();
  }
}
await browser.close();
await server.close();
