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
