// Drives the real app in Debian's headless Chromium, the way a person uses it:
// the example loads, a good statement, a syntax error, a good statement again.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { assertClean, fileRow, openFile, problemText, startBrowser } from "./harness.mjs";

let harness, page;

before(async () => {
  harness = await startBrowser();
  // A fresh context (empty storage) every run: the example opens.
  page = await harness.newPage();
});

after(async () => {
  await harness?.close();
});

const summary = () => page.getByTestId("summary");
const editor = () => page.getByTestId("sql-editor");
const statementRows = () => page.getByTestId("statement");

test("opens with the example migration set parsed", async () => {
  await assert.doesNotReject(summary().waitFor());
  const text = await summary().textContent();
  const match = text.match(/^(\d+) statements in (\d+) files, 0 syntax errors \(planned in ([\d.]+) ms\)$/);
  assert.ok(match, `unexpected summary: ${text}`);
  assert.ok(Number(match[1]) >= 15, `example should have many statements: ${text}`);
  assert.equal(Number(match[2]), 4);
  console.log(`example parsed and planned in Chromium in ${match[3]} ms`);

  // The statements table shows the open file's statements: open 002_notes.sql.
  await openFile(page, "002_notes.sql");
  const policy = statementRows().filter({ hasText: "Admins can read all notes" });
  await assert.doesNotReject(policy.waitFor());
  const row = await policy.innerText();
  assert.match(row, /002_notes\.sql:20/);
  assert.match(row, /create policy/);
  assert.match(row, /reads\s+relation public\.user_profiles/);
  assert.match(row, /reads\s+column public\.user_profiles\.role/);
  assert.doesNotMatch(row, /schema/);
  assert.match(row, /reads\s+function auth\.uid\(\)/);

  // The plan runs the role column before the policy that reads it, and says why.
  const steps = await page.getByTestId("step").allInnerTexts();
  assert.deepEqual(
    steps.map((step) => step.split(/\s/)[0]),
    ["001_profiles.sql", "003_roles.sql", "002_notes.sql", "004_realtime.sql"],
  );
  const moved = page.getByTestId("problem").filter({ hasText: "PF202" });
  assert.match(
    await problemText(moved),
    /003_roles\.sql moves before 002_notes\.sql: policy "Admins can read all notes" on public\.notes \(002_notes\.sql:20\) needs column public\.user_profiles\.role, which 003_roles\.sql:2 adds/,
  );
  assertClean(page, harness.server.url);
});

test("the runbook shows how to check and undo each step, and exports it", async () => {
  const first = page.getByTestId("step").first();
  assert.match(await first.innerText(), /^001_profiles\.sql lines \d+-\d+, in one transaction/);
  const verify = first.getByTestId("verify");
  await verify.locator("summary").click();
  await verify.locator("pre").waitFor();
  assert.match(await verify.innerText(), /'table public\.user_profiles exists' AS object, CASE WHEN to_regclass\('public\.user_profiles'\) IS NOT NULL THEN 'pass' ELSE 'fail' END/);
  const rollback = first.getByTestId("rollback");
  await rollback.locator("summary").click();
  await rollback.locator("pre").waitFor();
  assert.match(await rollback.innerText(), /DROP TABLE IF EXISTS public\.user_profiles;/);
  await assert.doesNotReject(page.getByTestId("health-check").waitFor());

  const saved = async (label) => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("export").filter({ hasText: label }).click(),
    ]);
    return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
  };
  const markdown = await saved("Runbook (Markdown)");
  assert.equal(markdown.name, "runbook.md");
  const text = markdown.bytes.toString("utf8");
  assert.match(text, /^# Migration runbook\n/);
  assert.match(text, /## Step 2: 003_roles\.sql\n/);
  const zip = await saved("Supabase migrations (zip)");
  assert.equal(zip.name, "supabase-migrations.zip");
  assert.equal(zip.bytes.subarray(0, 4).toString("latin1"), "PK\x03\x04");
  assert.match(zip.bytes.toString("latin1"), /supabase\/migrations\/\d{14}_roles\.sql/);
  assertClean(page, harness.server.url);
});

test("a good statement, a syntax error, then a good statement again", async () => {
  await openFile(page, "001_profiles.sql");
  await editor().fill("CREATE TABLE public.todos (id bigint PRIMARY KEY, title text);");
  await assertSingleGoodStatement();

  await editor().fill("CREATE TABLE public.todos (\n  id bigint PRIMARY KEY,,\n  title text\n);");
  const problem = page.getByTestId("problem").filter({ hasText: "syntax error" });
  await assert.doesNotReject(problem.waitFor());
  const text = await problemText(problem);
  assert.match(text, /001_profiles\.sql:2:25/);
  assert.match(text, /syntax error at or near ","/);
  assert.equal(await page.getByTestId("error-mark").textContent(), ",");
  assert.match(await summary().textContent(), /, 1 syntax error \(/);
  // The broken file's statement is gone; the other files are still read.
  assert.equal(await statementRows().filter({ hasText: "public.todos" }).count(), 0);
  assert.match(await fileRow(page, "002_notes.sql").getByTestId("file-counts").textContent(), /^[1-9]\d* statements/);

  await editor().fill("CREATE TABLE public.todos (id bigint PRIMARY KEY, title text);");
  await assertSingleGoodStatement();
  assert.equal(await page.getByTestId("problem").filter({ hasText: "syntax error" }).count(), 0);
  assert.equal(await page.getByTestId("error-mark").count(), 0);
  assertClean(page, harness.server.url);
});

async function assertSingleGoodStatement() {
  const row = statementRows().filter({ hasText: "public.todos" });
  await assert.doesNotReject(row.waitFor());
  assert.equal(await row.count(), 1);
  const text = await row.innerText();
  assert.match(text, /001_profiles\.sql:1/);
  assert.match(text, /create table/);
  assert.match(text, /creates\s+table public\.todos/);
  assert.match(await summary().textContent(), /0 syntax errors/);
}
