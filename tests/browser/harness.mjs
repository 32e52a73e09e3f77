// Shared set-up for the browser tests: Debian's headless Chromium, the built
// app served from dist/ on a loopback port, and pages that record what they
// fetched and every error they reported.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { chromium } from "playwright-core";
import { serveDist } from "./serve-dist.mjs";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];
/** The repository's root (tests/browser/../..). */
export const REPO_ROOT = new URL("../../", import.meta.url).pathname;
/** The corpus of real projects' migrations, when it is present. */
export const CORPUS = process.env.PREFLIGHT_CORPUS ?? join(REPO_ROOT, "../shared/corpus");

/** Long enough for a plan of a large folder in a slow, shared machine. */
export const PLAN_TIMEOUT = 120_000;

const temporaryDirs = [];

/**
 * Starts Chromium and the static server. `newPage(contextOptions)` opens the
 * app in a new browser context (fresh storage); `openIn(context, url)` opens
 * another page in an existing one (shared storage).
 */
export async function startBrowser() {
  const server = await serveDist();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const origin = new URL(server.url).origin;

  /**
   * A new context, and the app open in it. `contextOptions` go to
   * browser.newContext; `options.url` opens another address of the app (a
   * share link), `options.initScript` runs before the page's own scripts,
   * `options.ready: false` skips waiting for the first plan.
   */
  async function newPage(contextOptions = {}, options = {}) {
    const context = await browser.newContext({ acceptDownloads: true, ...contextOptions });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
    if (options.initScript) await context.addInitScript(options.initScript);
    // Every request of every page and worker of the context.
    context.requests = [];
    context.on("request", (request) => context.requests.push(request.url()));
    return openIn(context, options.url ?? server.url, options);
  }

  async function close() {
    for (const context of browser.contexts()) await context.close().catch(() => {});
    await browser.close().catch(() => {});
    await server.close();
    await removeFixtures();
  }

  return { browser, server, origin, newPage, openIn, close };
}

/** Opens `url` in a new page of `context`, recording requests and errors. */
export async function openIn(context, url, { ready = true } = {}) {
  const page = await context.newPage();
  page.requests = context.requests ?? [];
  if (!context.requests) {
    page.on("request", (request) => page.requests.push(request.url()));
  }
  const failures = [];
  page.on("pageerror", (error) => failures.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location()?.url;
    failures.push(`console error: ${message.text()}${where ? ` (at ${where})` : ""}`);
  });
  page.failures = failures;
  await page.goto(url);
  if (ready) await appReady(page);
  return page;
}

/** Waits for the app's first plan. */
export async function appReady(page, timeout = PLAN_TIMEOUT) {
  await page.waitForFunction(
    () => /statements in/.test(document.querySelector("[data-testid=summary]")?.textContent ?? ""),
    null,
    { timeout },
  );
}

/** Every request the page (and its worker) made went to the app's own origin. */
export function assertOnlyOwnOrigin(page, serverUrl) {
  const origin = new URL(serverUrl).origin;
  assert.ok(page.requests.length > 0, "no requests were recorded");
  const foreign = page.requests.filter((url) => {
    const parsed = new URL(url);
    if (parsed.protocol === "data:" || parsed.protocol === "blob:") return false;
    return parsed.origin !== origin;
  });
  assert.deepEqual(foreign, [], `requests left ${origin}`);
}

/** The page reported no errors (uncaught exceptions or console errors). */
export function assertNoFailures(page) {
  assert.deepEqual(page.failures, [], "the page reported errors");
}

/** Both checks every test ends with. */
export function assertClean(page, serverUrl) {
  assertOnlyOwnOrigin(page, serverUrl);
  assertNoFailures(page);
}

// ---------------------------------------------------------------- fixtures

/**
 * Writes `files` ({ "relative/path": string | Buffer }) into a new temporary
 * directory and returns its path. Removed when the harness closes.
 */
export async function writeFixtures(files, prefix = "preflight-fixture-") {
  const root = await mkdtemp(join(tmpdir(), prefix));
  temporaryDirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    const file = join(root, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return root;
}

/** A new empty temporary directory (for downloads). */
export async function temporaryDir(prefix = "preflight-download-") {
  const root = await mkdtemp(join(tmpdir(), prefix));
  temporaryDirs.push(root);
  return root;
}

export async function removeFixtures() {
  while (temporaryDirs.length) {
    await rm(temporaryDirs.pop(), { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- waiting

/**
 * Retries `check` (which throws while things are not as expected) until it
 * passes; rethrows its last error after `timeout` ms.
 */
export async function eventually(check, { timeout = 30_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Waits until no plan is on its way (the `planning` indicator is gone). */
export async function planSettled(page, timeout = PLAN_TIMEOUT) {
  await page.getByTestId("planning").waitFor({ state: "detached", timeout });
}

// ---------------------------------------------------------------- reading the page

export const summary = (page) => page.getByTestId("summary");
export const editor = (page) => page.getByTestId("sql-editor");
export const notices = (page) => page.getByTestId("notice");
export const problems = (page) => page.getByTestId("problem");
export const statementRows = (page) => page.getByTestId("statement");

/**
 * A problem's text as a person reads it: scrolled to first, as problems out
 * of view are not drawn (their text is not laid out until they are near).
 */
export async function problemText(problem) {
  await problem.scrollIntoViewIfNeeded();
  // Drawn at the next frame after it comes into view.
  return eventually(async () => {
    const text = await problem.innerText();
    assert.notEqual(text, "", "a problem in view has text");
    return text;
  });
}

/** The row of the file named `name` in the file list. */
export function fileRow(page, name) {
  return page.locator(`[data-testid=file-row][data-name=${JSON.stringify(name)}]`);
}

/** The names of the files in the list, in list order. */
export async function fileNames(page) {
  return page
    .getByTestId("file-row")
    .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-name")));
}

/** { name: { role, counts } } for every file in the list. */
export async function fileFacts(page) {
  return page.getByTestId("file-row").evaluateAll((rows) =>
    Object.fromEntries(
      rows.map((row) => [
        row.getAttribute("data-name"),
        {
          role: row.querySelector("[data-testid=file-role]")?.textContent.trim(),
          counts: row.querySelector("[data-testid=file-counts]")?.textContent.trim(),
        },
      ]),
    ),
  );
}

/** The runbook's step titles, in order (each step's text starts with it). */
export async function stepTitles(page) {
  const texts = await page.getByTestId("step").allInnerTexts();
  return texts.map((text) => {
    const match = text.match(/^(.*?)\s+lines \d+-\d+/s);
    return (match ? match[1] : text.split("\n")[0]).trim();
  });
}

/** The title and lines of every notice, as text. */
export async function noticeTexts(page) {
  return notices(page).allInnerTexts();
}

/** The notice whose text matches `pattern`. */
export function notice(page, pattern) {
  return notices(page).filter({ hasText: pattern });
}

// ---------------------------------------------------------------- doing things

/** Chooses files in the toolbar's file picker. */
export async function chooseFiles(page, paths) {
  await page.getByTestId("file-input").setInputFiles(paths);
}

/** Chooses a folder in the toolbar's folder picker. */
export async function chooseFolder(page, path) {
  await page.getByTestId("folder-input").setInputFiles(path);
}

/** Opens the named file in the editor. */
export async function openFile(page, name) {
  await fileRow(page, name).getByTestId("file-name").click();
  await eventually(async () => assert.equal(await page.getByTestId("open-file").textContent(), name));
}

/** Pastes `text` with Ctrl+V outside the editor (the page's body). */
export async function pasteOutsideEditor(page, text) {
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await page.locator("header h1").click();
  await page.keyboard.press("Control+V");
}

/** Clicks `button`, saves what it downloads under its suggested name. */
export async function download(page, button) {
  const [item] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const dir = await temporaryDir();
  const path = join(dir, item.suggestedFilename());
  await item.saveAs(path);
  return { name: item.suggestedFilename(), path, bytes: await readFile(path) };
}

/** The names of the entries of a zip, from its central directory. */
export function zipEntryNames(bytes) {
  const names = [];
  for (let at = 0; at + 46 <= bytes.length; at++) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) continue;
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    names.push(bytes.subarray(at + 46, at + 46 + nameLength).toString("utf8"));
    at += 45 + nameLength + extraLength + commentLength;
  }
  return names;
}

/**
 * Drops real files and folders on the page through the DevTools protocol,
 * as a person drags them from a file manager. `during(phase)` runs after
 * dragEnter and after dragOver (to look at the page while dragging).
 */
export async function dropPaths(page, paths, during = async () => {}) {
  const cdp = await page.context().newCDPSession(page);
  // Drags are delivered to the page, not intercepted.
  await cdp.send("Input.setInterceptDrags", { enabled: false }).catch(() => {});
  const data = { items: [], files: paths, dragOperationsMask: 1 };
  const at = { x: 400, y: 300 };
  await cdp.send("Input.dispatchDragEvent", { type: "dragEnter", ...at, data });
  await during("dragEnter");
  await cdp.send("Input.dispatchDragEvent", { type: "dragOver", ...at, data });
  await during("dragOver");
  await cdp.send("Input.dispatchDragEvent", { type: "drop", ...at, data });
  await cdp.detach().catch(() => {});
}
