// A Markdown runbook brought into the page the way a person does: chosen
// from disk, its blocks planned one by one under their headings, a quoted
// fragment left alone, a block's role changed in the page (written on its
// fence, so it survives a reload), and the runbook downloaded back in the
// planned order with every line of it kept.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  assertClean,
  chooseFiles,
  download,
  editor,
  eventually,
  openFile,
  problems,
  startBrowser,
  stepTitles,
  writeFixtures,
} from "./harness.mjs";

let harness;

before(async () => {
  harness = await startBrowser();
});

after(async () => {
  await harness?.close();
});

const RUNBOOK = [
  "# Notes rollout",
  "",
  "## Step 1: Index the notes",
  "",
  "```sql",
  "CREATE INDEX notes_owner_idx ON public.notes (owner);",
  "```",
  "",
  "## Step 2: Create the notes",
  "",
  "```sql",
  "CREATE TABLE public.notes (id int PRIMARY KEY, owner uuid);",
  "ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;",
  "```",
  "",
  "## Step 3: Check",
  "",
  "```sql",
  "SELECT count(*) FROM public.notes;",
  "```",
  "",
  "## Why not auth.uid() directly",
  "",
  "The first draft had this (WRONG):",
  "",
  "```sql",
  "USING (owner = auth.uid())",
  "```",
  "",
].join("\n");

const blockRows = (page) => page.getByTestId("block");

/** Each block as "title: role (runs)". */
async function blocks(page) {
  const rows = await blockRows(page).all();
  return Promise.all(
    rows.map(async (row) => {
      const title = await row.getByTestId("block-title").innerText();
      const role = await row.getByTestId("block-role").inputValue();
      const runs = await row.getByTestId("block-runs").innerText();
      return `${title}: ${role} (${runs})`;
    }),
  );
}

test("a Markdown runbook is planned block by block, its roles can be changed, and it comes back in the planned order", async () => {
  const page = await harness.newPage();
  const dir = await writeFixtures({ "RUNBOOK.md": RUNBOOK });
  await chooseFiles(page, [join(dir, "RUNBOOK.md")]);
  await openFile(page, "RUNBOOK.md");
  await eventually(async () =>
    assert.deepEqual(await blocks(page), [
      "Step 1: Index the notes: migration (step 2)",
      "Step 2: Create the notes: migration (step 1)",
      "Step 3: Check: verification (with step 1)",
      "Why not auth.uid() directly: illustration (not run)",
    ]),
  );
  assert.deepEqual(await stepTitles(page), ["Step 2: Create the notes", "Step 1: Index the notes"]);
  // The quoted fragment is no syntax error; the step shows the author's check.
  assert.equal(await problems(page).filter({ hasText: "PF001" }).count(), 0);
  assert.equal(await problems(page).filter({ hasText: "PF104" }).count(), 1);
  const first = page.getByTestId("step").first();
  assert.match(await first.getByTestId("author-block").innerText(), /Run your verification “Step 3: Check”/);

  // Given back in the planned order, every line kept.
  const back = await download(page, page.getByTestId("export-prose"));
  assert.equal(back.name, "RUNBOOK.planned.md");
  const text = back.bytes.toString("utf8");
  assert.ok(text.indexOf("## Step 2: Create the notes") < text.indexOf("## Step 1: Index the notes"), text);
  const lines = text.split("\n");
  for (const line of RUNBOOK.split("\n")) {
    const at = lines.indexOf(line);
    assert.ok(at >= 0, `the line ${JSON.stringify(line)} is kept`);
    lines.splice(at, 1);
  }

  // The person says the index is only an example: it is written on the
  // fence, no longer planned, and still so after a reload.
  await blockRows(page).first().getByTestId("block-role").selectOption("illustration");
  await eventually(async () => assert.match(await editor(page).inputValue(), /```sql illustration\nCREATE INDEX/));
  await eventually(async () => assert.deepEqual(await stepTitles(page), ["Step 2: Create the notes"]));
  await page.getByTestId("save-status").filter({ hasText: "Saved in this browser" }).waitFor();
  await page.reload();
  await openFile(page, "RUNBOOK.md");
  await eventually(async () =>
    assert.equal((await blocks(page))[0], "Step 1: Index the notes: illustration (not run)"),
  );
  assertClean(page, harness.server.url);
  await page.context().close();
});
