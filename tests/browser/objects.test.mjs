// Objects: searching a column shows every statement and file that touches
// it, and each place opens its file.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertClean, eventually, startBrowser } from "./harness.mjs";

let harness;

before(async () => {
  harness = await startBrowser();
});

after(async () => {
  await harness?.close();
});

test("searching user_profiles.role shows what creates and reads it, in which files and steps", async () => {
  const page = await harness.newPage();
  const objects = page.getByTestId("objects");
  await objects.locator("summary").click();
  await page.getByTestId("object-search").fill("user_profiles.role");
  const results = page.getByTestId("object-result");
  await eventually(async () => assert.deepEqual(await results.allInnerTexts(), ["column public.user_profiles.role"]));
  await results.first().click();
  const touches = page.getByTestId("object-touches");
  const text = await touches.innerText();
  assert.match(text, /CREATES\s+003_roles\.sql:2 add column \(step 2\)/i);
  assert.match(text, /READS[\s\S]*002_notes\.sql:20 create policy \(step 3\)/i);
  // The kind filter narrows: no table is called "role".
  await page.getByTestId("object-kind").selectOption("table");
  await page.getByTestId("object-search").fill("role");
  await eventually(async () => assert.equal(await results.count(), 0));

  await touches.getByRole("button", { name: "002_notes.sql:20" }).click();
  await eventually(async () => assert.equal(await page.getByTestId("open-file").innerText(), "002_notes.sql"));
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("an object is drawn with what it needs, what needs it and its files; a neighbour opens its own picture", async () => {
  const page = await harness.newPage();
  await page.getByTestId("objects").locator("summary").click();
  await page.getByTestId("object-search").fill("user_profiles.role");
  await page.getByTestId("object-result").first().click();
  const graph = page.getByTestId("object-graph");
  const named = async (role) =>
    graph.locator(`[data-testid="object-node"][data-role="${role}"]`).evaluateAll((nodes) => nodes.map((n) => n.dataset.name));
  await eventually(async () => assert.deepEqual(await named("focus"), ["column public.user_profiles.role"]));
  assert.ok((await named("needs")).includes("table public.user_profiles"), await named("needs"));
  const neededBy = await named("needed-by");
  assert.ok(neededBy.some((name) => /^policy "Admins can read all notes" on public\.notes$/.test(name)), neededBy);
  assert.deepEqual(await named("file"), ["002_notes.sql", "003_roles.sql"]);
  // Needs on the left of the object, what needs it on the right.
  const box = async (role) => graph.locator(`[data-role="${role}"]`).first().boundingBox();
  const [left, focus, right] = [await box("needs"), await box("focus"), await box("needed-by")];
  assert.ok(left.x + left.width <= focus.x && focus.x + focus.width <= right.x, JSON.stringify({ left, focus, right }));
  // Drawn at its own size (a wide picture scrolls), not shrunk to the panel.
  const size = await graph.evaluate((svg) => ({ drawn: svg.getBoundingClientRect().width, own: Number(svg.getAttribute("width")) }));
  assert.ok(Math.abs(size.drawn - size.own) < 1, JSON.stringify(size));

  // A neighbour, by keyboard: its own neighbourhood.
  const policy = graph.locator('[data-role="needed-by"][data-name^="policy \\"Admins can read all notes\\""]');
  await policy.focus();
  await page.keyboard.press("Enter");
  await eventually(async () => assert.match((await named("focus"))[0], /^policy "Admins can read all notes"/));
  assert.ok((await named("needs")).includes("column public.user_profiles.role"));
  // A file opens in the editor.
  await graph.locator('[data-role="file"][data-name="002_notes.sql"]').click();
  await eventually(async () => assert.equal(await page.getByTestId("open-file").innerText(), "002_notes.sql"));

  // Filters alone list: every policy in public.
  await page.getByTestId("object-search").fill("");
  await page.getByTestId("object-kind").selectOption("policy");
  await page.getByTestId("object-schema").selectOption("public");
  const results = await page.getByTestId("object-result").allInnerTexts();
  assert.ok(results.length >= 2 && results.every((r) => r.startsWith("policy ") && r.includes(" on public.")), results);

  // A new schema listed before "public" leaves the shown choices on the filter.
  await page.getByTestId("sql-editor").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\ncreate schema aaa;\ncreate table aaa.t (id int);");
  const schemaChoice = page.getByTestId("object-schema");
  await eventually(async () => assert.ok((await schemaChoice.locator("option").allInnerTexts()).includes("aaa")));
  assert.equal(await schemaChoice.inputValue(), "public");
  assert.equal(await page.getByTestId("object-kind").inputValue(), "policy");
  assertClean(page, harness.server.url);
  await page.context().close();
});
