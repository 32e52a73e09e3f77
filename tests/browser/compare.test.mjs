// The schema audit in the page: two sets of the workspace's files compared
// by what they leave behind, as `preflight diff` does.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertClean, chooseFiles, eventually, planSettled, startBrowser, writeFixtures } from "./harness.mjs";

let harness;

before(async () => {
  harness = await startBrowser();
});

after(async () => {
  await harness?.close();
});

test("Compare lists what only one side has and what both define differently, with where", async () => {
  const page = await harness.newPage();
  const dir = await writeFixtures({
    "database-schema.sql": "create table public.notes (\n  id bigint primary key,\n  body text not null\n);\n\ncreate table public.tags (id int);\n",
    "production.sql": "create table public.notes (\n  id bigint primary key,\n  body varchar(200)\n);\n\ncreate table public.archive (id int);\n",
  });
  await chooseFiles(page, ["database-schema.sql", "production.sql"].map((name) => join(dir, name)));
  const compare = page.getByTestId("compare");
  // Opened once the new files are planned (the section is drawn again when
  // the plan arrives).
  await eventually(async () => assert.equal(await compare.locator('[data-testid=compare-a][data-name="production.sql"]').count(), 1));
  await planSettled(page);
  await compare.locator("summary").click();
  await compare.locator('[data-testid=compare-a][data-name="database-schema.sql"]').check();
  await compare.locator('[data-testid=compare-b][data-name="production.sql"]').check();
  await page.getByTestId("run-compare").click();

  const result = page.getByTestId("compare-result");
  await result.waitFor();
  assert.equal(await page.getByTestId("only-in-a").innerText(), "table public.tags database-schema.sql:6");
  assert.equal(await page.getByTestId("only-in-b").innerText(), "table public.archive production.sql:6");
  const changed = await page.getByTestId("compare-changed-item").allInnerTexts();
  const type = changed.find((item) => item.startsWith("column public.notes.body: type"));
  assert.ok(type, changed.join("\n---\n"));
  assert.match(type, /A\s*text\s*database-schema\.sql:1/);
  assert.match(type, /B\s*character varying\(200\)\s*production\.sql:1/);
  assert.ok(changed.some((item) => /^column public\.notes\.body: not null/i.test(item)), changed.join("\n---\n"));

  // A place opens its file.
  await page.getByTestId("only-in-b").getByRole("button").click();
  await eventually(async () => assert.equal(await page.getByTestId("open-file").innerText(), "production.sql"));
  assertClean(page, harness.server.url);
  await page.context().close();
});
