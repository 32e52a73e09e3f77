// The dependency picture: a node for every step, an edge for every need (with
// its reasons), a click that leads to the step and its source, and the
// picture saved as SVG and PNG.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertClean, download, eventually, startBrowser } from "./harness.mjs";

let harness;

before(async () => {
  harness = await startBrowser();
});

after(async () => {
  await harness?.close();
});

const nodes = (page) => page.getByTestId("graph-node");
const edges = (page) => page.getByTestId("graph-edge");

test("the graph has a node for every step and an edge for every dependency, with its reasons", async () => {
  const page = await harness.newPage();
  await eventually(async () => assert.equal(await nodes(page).count(), 4));
  const plan = JSON.parse((await download(page, page.getByTestId("export").filter({ hasText: "Plan (JSON)" }))).bytes.toString("utf8"));
  const expected = plan.steps.flatMap((step) => step.depends_on.map((from) => `${from}->${step.number}`)).sort();
  const drawn = await edges(page).evaluateAll((paths) => paths.map((p) => `${p.dataset.from}->${p.dataset.to}`));
  assert.deepEqual(drawn.sort(), expected);
  assert.ok(expected.length >= 3, `${expected}`);
  assert.deepEqual(await nodes(page).evaluateAll((gs) => gs.map((g) => g.dataset.step)), plan.steps.map((s) => String(s.number)));

  // The moved file is marked; the edge into it says why.
  const roles = page.locator('[data-testid=graph-node][data-step="2"]');
  assert.match(await roles.getAttribute("aria-label"), /^2 003_roles\.sql moved up: step 2, 003_roles\.sql$/);
  const reason = await page.locator('[data-testid=graph-edge][data-from="1"][data-to="2"] title').textContent();
  assert.match(reason, /^after step 1: column public\.user_profiles\.role \(003_roles\.sql:\d+\) needs public\.user_profiles/);
  assert.match(await page.getByTestId("graph-summary").innerText(), /^4 steps, \d+ dependencies; laid out in [\d.]+ ms$/);
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("clicking a step selects it in the runbook and opens its source at its first line", async () => {
  const page = await harness.newPage();
  await nodes(page).nth(2).click();
  const step = page.locator("#step-3");
  await eventually(async () => assert.match(await step.getAttribute("class"), /\bselected\b/));
  assert.match(await step.innerText(), /^002_notes\.sql/);
  await eventually(async () => assert.equal(await page.getByTestId("open-file").innerText(), "002_notes.sql"));
  const caret = await page.getByTestId("sql-editor").evaluate((area) => area.value.slice(0, area.selectionStart).split("\n").length);
  const firstLine = Number((await step.locator(".lines").innerText()).match(/lines (\d+)-/)[1]);
  assert.equal(caret, firstLine);
  // The keyboard does the same.
  await nodes(page).nth(0).focus();
  await page.keyboard.press("Enter");
  await eventually(async () => assert.equal(await page.getByTestId("open-file").innerText(), "001_profiles.sql"));
  assert.equal(await nodes(page).nth(0).getAttribute("aria-pressed"), "true");
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("the picture is saved as SVG (with its style) and as PNG", async () => {
  const page = await harness.newPage();
  await eventually(async () => assert.equal(await nodes(page).count(), 4));
  const svg = await download(page, page.getByTestId("save-graph-svg"));
  assert.equal(svg.name, "dependencies.svg");
  const markup = svg.bytes.toString("utf8");
  assert.match(markup, /^<svg[^>]*viewBox="[-\d. ]+"[^>]*><style>/);
  assert.equal((markup.match(/data-testid="graph-node"/g) ?? []).length, 4);
  const png = await download(page, page.getByTestId("save-graph-png"));
  assert.equal(png.name, "dependencies.png");
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.bytes.length > 2000, `${png.bytes.length} bytes`);
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("folding a step hides what only it leads to; unfolding shows it again", async () => {
  const page = await harness.newPage();
  await eventually(async () => assert.equal(await nodes(page).count(), 4));
  const fold = page.locator('[data-testid=graph-fold][data-step="1"]');
  assert.equal(await fold.getAttribute("aria-expanded"), "true");
  await fold.click();
  await eventually(async () => assert.equal(await nodes(page).count(), 1));
  assert.equal(await edges(page).count(), 0);
  assert.match(await page.getByTestId("graph-summary").innerText(), /; 3 folded away$/);
  assert.match(await nodes(page).first().getAttribute("aria-label"), /folded/);
  // From the keyboard, back again.
  await fold.focus();
  await page.keyboard.press("Enter");
  await eventually(async () => assert.equal(await nodes(page).count(), 4));
  assert.equal(await fold.getAttribute("aria-expanded"), "true");
  assertClean(page, harness.server.url);
  await page.context().close();
});
