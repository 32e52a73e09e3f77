// The runbook as a checklist, followed the way a person follows it in the
// Supabase SQL editor: copy a step's SQL, its verification and its rollback,
// mark steps done, reload, and undo what was done when a step fails.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertClean, editor, eventually, openFile, startBrowser } from "./harness.mjs";

let harness;

before(async () => {
  harness = await startBrowser();
});

after(async () => {
  await harness?.close();
});

const steps = (page) => page.getByTestId("step");
const progress = (page) => page.getByTestId("progress");
const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());

/** The text of a step's folded SQL block, opened. */
async function blockText(step, testid) {
  const block = step.getByTestId(testid);
  await block.locator("summary").click();
  await block.locator("pre").waitFor();
  return block.locator("pre").innerText();
}

test("each Copy button puts exactly that step's SQL, verification or rollback on the clipboard", async () => {
  const page = await harness.newPage();
  const second = steps(page).nth(1);
  assert.match(await second.innerText(), /^003_roles\.sql/);

  await second.getByTestId("copy-sql").click();
  await eventually(async () => assert.equal(await second.getByTestId("copy-sql").innerText(), "Copied"));
  const sql = await clipboard(page);
  assert.equal(sql, await blockText(second, "sql"));
  assert.match(sql, /^BEGIN;\n/);
  assert.match(sql, /\nCOMMIT;\n$/);
  assert.match(sql, /ADD COLUMN IF NOT EXISTS role/i);

  await second.getByTestId("copy-verify").click();
  await eventually(async () => assert.equal(await clipboard(page), await blockText(second, "verify")));
  assert.match(await clipboard(page), /'pass' ELSE 'fail'/);

  await second.getByTestId("copy-rollback").click();
  await eventually(async () => assert.equal(await clipboard(page), await blockText(second, "rollback")));
  assert.match(await clipboard(page), /DROP COLUMN IF EXISTS role/);
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("done marks show progress and the next step, survive a reload, and give the rollback of what was done", async () => {
  const page = await harness.newPage();
  await eventually(async () => assert.equal(await progress(page).innerText(), "0 of 4 steps done"));
  assert.equal(await steps(page).first().getAttribute("aria-current"), "step");

  await steps(page).nth(0).getByTestId("step-done").check();
  await steps(page).nth(1).getByTestId("step-done").check();
  await eventually(async () => assert.equal(await progress(page).innerText(), "2 of 4 steps done"));
  assert.equal(await steps(page).nth(2).getAttribute("aria-current"), "step");
  assert.equal(await steps(page).nth(0).getAttribute("aria-current"), null);

  // A step failed: undo the two done steps, the newer first.
  const rollback = page.getByTestId("rollback-done");
  await rollback.locator("summary").click();
  const undo = await rollback.locator("pre").innerText();
  const second = undo.indexOf("-- Undo step 2: 003_roles.sql");
  const first = undo.indexOf("-- Undo step 1: 001_profiles.sql");
  assert.ok(second >= 0 && first > second, undo);
  assert.match(undo, /DROP COLUMN IF EXISTS role[\s\S]*DROP TABLE IF EXISTS public\.user_profiles/);
  assert.doesNotMatch(undo, /Undo step 3/);
  assert.equal(await page.getByTestId("migration-log").locator("tbody tr").count(), 2);

  await page.getByTestId("save-status").filter({ hasText: "Saved in this browser" }).waitFor();
  await page.reload();
  await eventually(async () => assert.equal(await progress(page).innerText(), "2 of 4 steps done"));
  assert.ok(await steps(page).nth(1).getByTestId("step-done").isChecked());

  // Changing a done step's SQL means it has not run yet.
  await openFile(page, "003_roles.sql");
  await editor(page).press("Control+End");
  await editor(page).type("\ncreate index roles_idx on public.user_profiles (role);\n");
  await eventually(async () => assert.equal(await progress(page).innerText(), "1 of 4 steps done"));
  assert.equal(await steps(page).nth(1).getAttribute("aria-current"), "step");
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("the pre-flight checklist is ticked in the page and kept", async () => {
  const page = await harness.newPage();
  const items = page.getByTestId("preflight-item");
  await eventually(async () => assert.equal(await items.count(), 4));
  await items.nth(0).check();
  await page.getByTestId("save-status").filter({ hasText: "Saved in this browser" }).waitFor();
  await page.reload();
  await eventually(async () => assert.ok(await page.getByTestId("preflight-item").nth(0).isChecked()));
  assert.equal(await page.getByTestId("preflight-item").nth(1).isChecked(), false);
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("a statement that does not parse stays in its step, commented out, and the runbook says it is not ready", async () => {
  const page = await harness.newPage();
  await openFile(page, "001_profiles.sql");
  await editor(page).fill("create table a (id int);\nSELEC 1;\ncreate table b (id int);\n");
  const warning = page.getByTestId("not-ready");
  await eventually(async () =>
    assert.match(await warning.innerText(), /NOT READY: 1 statement does not parse[\s\S]*001_profiles\.sql:2:1: syntax error at or near "SELEC"/),
  );
  const marker = page.locator('[data-testid=gutter-marker][data-line="2"]');
  await eventually(async () => assert.match(await marker.getAttribute("title"), /error PF001/));
  const first = steps(page).first();
  assert.match(await first.innerText(), /^001_profiles\.sql/);
  await first.getByTestId("copy-sql").click();
  await eventually(async () => assert.equal(await first.getByTestId("copy-sql").innerText(), "Copied"));
  assert.match(
    await clipboard(page),
    /create table a \(id int\);\n-- NOT RUN: this statement does not parse \(line 2, column 1: syntax error at or near "SELEC"\); fix it and plan again:\n-- SELEC 1\ncreate table b/,
  );
  assertClean(page, harness.server.url);
  await page.context().close();
});
