// Problems lead somewhere: a click opens the file with the caret on the
// place, every problem has a marker in the editor's gutter, and the list is
// grouped and filtered.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertClean, editor, eventually, planSettled, problems, startBrowser } from "./harness.mjs";

let harness;

before(async () => {
  harness = await startBrowser();
});

after(async () => {
  await harness?.close();
});

/**
 * How far the gutter marker of `line` is from the middle of that line of
 * the editor's text (px), the line's height, and whether the text is
 * scrolled.
 */
async function markerPlace(page, line) {
  return page.evaluate((line) => {
    const area = document.querySelector("[data-testid=sql-editor]");
    const style = getComputedStyle(area);
    const lineHeight = parseFloat(style.lineHeight);
    const lineTop = area.getBoundingClientRect().top + parseFloat(style.paddingTop) + (line - 1) * lineHeight - area.scrollTop;
    const box = document.querySelector(`[data-testid=gutter-marker][data-line="${line}"]`).getBoundingClientRect();
    return { lineHeight, scrolled: area.scrollTop > 0, apart: box.top + box.height / 2 - (lineTop + lineHeight / 2) };
  }, line);
}

test("a problem's place opens its file with the caret on its line, marked in the gutter", async () => {
  const page = await harness.newPage();
  const moved = problems(page).filter({ hasText: "PF202" });
  await moved.getByTestId("problem-location").first().click();
  await eventually(async () => assert.equal(await page.getByTestId("open-file").innerText(), "002_notes.sql"));
  const caret = await editor(page).evaluate((area) => {
    const before = area.value.slice(0, area.selectionStart);
    return { focused: document.activeElement === area, line: before.split("\n").length, column: before.length - before.lastIndexOf("\n"), selected: area.value.slice(area.selectionStart, area.selectionEnd) };
  });
  assert.deepEqual(caret, { focused: true, line: 20, column: 1, selected: "CREATE" });
  const marker = page.locator('[data-testid=gutter-marker][data-line="20"]');
  assert.equal(await marker.count(), 1);
  assert.match(await marker.getAttribute("title"), /info PF202: 003_roles\.sql moves before 002_notes\.sql/);
  // The marker sits beside its line of text, and the gutter is drawn as
  // runs of numbers between markers, not a node per line (a file of
  // thousands of lines redrew them all with each plan).
  const place = await markerPlace(page, 20);
  assert.ok(Math.abs(place.apart) < place.lineHeight / 2, "the marker is drawn on line 20");
  const gutter = await page.evaluate(() => {
    const gutter = document.querySelector(".gutter");
    return {
      nodes: gutter.childNodes.length,
      markers: gutter.querySelectorAll("[data-testid=gutter-marker]").length,
      lines: document.querySelector("[data-testid=sql-editor]").value.split("\n").length,
    };
  });
  assert.ok(gutter.lines > 20 && gutter.nodes <= 2 * gutter.markers + 1, `${gutter.nodes} nodes for ${gutter.lines} lines and ${gutter.markers} markers`);
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("in a long file scrolled to its end, a new problem's marker is drawn beside its line", async () => {
  const page = await harness.newPage();
  await editor(page).fill(Array.from({ length: 400 }, (_, i) => `select ${i};`).join("\n"));
  await planSettled(page);
  await editor(page).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\ncreate table public.scratch (id int);");
  const marker = page.locator('[data-testid=gutter-marker][data-line="401"]');
  await marker.waitFor();
  await planSettled(page);
  // The gutter scrolls with the text: a redraw of its numbers must not
  // move it on its own (the browser's scroll anchoring did, by a line).
  await eventually(async () => {
    const place = await markerPlace(page, 401);
    assert.ok(place.scrolled, "the text is scrolled to its end");
    assert.ok(Math.abs(place.apart) < 4, `the marker is ${Math.round(place.apart)} px from the middle of line 401`);
  });
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("problems are grouped by severity and code, and filtered by words and severity", async () => {
  const page = await harness.newPage();
  await editor(page).fill("create table public.a (id int references public.missing (id)); alter table public.a enable row level security;\nselect from from;\n");
  const groups = page.getByTestId("problem-group");
  await eventually(async () => {
    const titles = (await groups.locator(":scope > summary").allInnerTexts()).map((title) => title.replace(/\s*\(\d+\)$/, ""));
    assert.deepEqual(titles.filter((title) => title.startsWith("error")).sort(), ["error PF001", "error PF100"]);
  });
  // A syntax error is marked in the text and in the gutter, on its line.
  assert.equal(await page.locator('[data-testid=gutter-marker][data-line="2"]').getAttribute("class"), "marker error");
  assert.equal(await page.getByTestId("error-mark").innerText(), "from");

  await page.getByTestId("problem-filter").fill("missing, which");
  await eventually(async () => assert.deepEqual(
    (await groups.locator(":scope > summary").allInnerTexts()),
    ["error PF100 (1)"],
  ));
  assert.match(await problems(page).innerText(), /help: /);
  await page.getByTestId("problem-filter").fill("");
  await page.getByTestId("show-error").uncheck();
  await eventually(async () => assert.equal(await groups.filter({ hasText: "error PF" }).count(), 0));
  await page.getByTestId("show-error").check();
  await eventually(async () => assert.ok(await groups.filter({ hasText: "error PF100" }).count() === 1));
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("planning on plain PostgreSQL names what only Supabase has; the choice survives a reload", async () => {
  const page = await harness.newPage();
  const choice = page.getByTestId("environment");
  assert.equal(await choice.inputValue(), "supabase");
  await eventually(async () => assert.equal(await problems(page).filter({ hasText: "PF100" }).count(), 0));
  await choice.selectOption("postgres");
  await eventually(async () => {
    const missing = await problems(page).filter({ hasText: "PF100" }).allInnerTexts();
    assert.ok(missing.some((text) => text.includes("needs relation auth.users")), missing.join("\n"));
  });
  // The choice is part of the workspace: saved, and back after a reload.
  await page.getByTestId("save-status").filter({ hasText: "Saved in this browser" }).waitFor();
  await page.reload();
  await eventually(async () => assert.equal(await page.getByTestId("environment").inputValue(), "postgres"));
  await eventually(async () => assert.ok((await problems(page).filter({ hasText: "needs relation auth.users" }).count()) > 0));
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("a lint finding explains its rule, previews its fix and applies it to the file", async () => {
  const page = await harness.newPage();
  await editor(page).fill("create table public.notes (id bigint primary key, owner uuid);\nalter table public.notes enable row level security;\ncreate policy \"owners read\" on public.notes for select to authenticated\n  using (auth.uid() = owner);\n");
  // The example's other files have findings of their own.
  const finding = problems(page).filter({ hasText: "PF403" }).filter({ hasText: 'policy "owners read" on public.notes' });
  await eventually(async () => assert.equal(await finding.count(), 1));
  assert.match(await page.getByTestId("problem-group").filter({ hasText: "PF403" }).locator(":scope > summary").innerText(), /warning PF403 auth-rls-initplan \(\d+\)/);
  const docs = finding.getByTestId("rule-docs");
  await docs.locator("summary").click();
  // Drawn once opened.
  await eventually(async () => assert.match(await docs.innerText(), /initPlan[\s\S]*Flagged:[\s\S]*Not flagged:/));
  const fix = finding.getByTestId("fix");
  assert.match(await fix.locator("summary").innerText(), /^Fix \(safe\): wrap each call in \(select \.\.\.\)$/);
  await fix.locator("summary").click();
  assert.equal(await fix.getByTestId("fix-preview").innerText(), "-   using (auth.uid() = owner);\n+   using ((select auth.uid()) = owner);");
  // Typed with the fix open: it waits for the plan of this text (a click
  // waits for the button), and what was typed stays.
  await editor(page).press("Control+End");
  await editor(page).pressSequentially("-- typed before applying\n");
  await fix.getByTestId("apply-fix").click();
  await eventually(async () => assert.match(await editor(page).inputValue(), /using \(\(select auth\.uid\(\)\) = owner\);\n-- typed before applying\n$/));
  await eventually(async () => assert.equal(await finding.count(), 0));
  // The fixed text is the person's text now: kept across a reload.
  await page.getByTestId("save-status").filter({ hasText: "Saved in this browser" }).waitFor();
  await page.reload();
  await eventually(async () => assert.match(await editor(page).inputValue(), /\(select auth\.uid\(\)\)/));
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("what a person opened in a problem stays with that problem when a new plan adds another beside it", async () => {
  const page = await harness.newPage();
  const notes = (writeCheck) => `create table public.notes (id bigint primary key, owner uuid);
alter table public.notes enable row level security;
create policy "owners read" on public.notes for select to authenticated using (auth.uid() = owner);
create policy "owners write" on public.notes for insert to authenticated with check (${writeCheck});
`;
  await editor(page).fill(notes("(select auth.uid()) = owner"));
  const file = await page.getByTestId("open-file").innerText();
  // By place: an opened rule's docs quote a policy of their own.
  const initplan = (line) => problems(page).filter({ hasText: "PF403" })
    .filter({ has: page.getByTestId("problem-location").getByText(`${file}:${line}:1`, { exact: true }) });
  const [read, write] = [initplan(3), initplan(4)];
  await eventually(async () => assert.equal(await read.count(), 1));
  await read.getByTestId("rule-docs").locator("summary").click();
  await eventually(async () => assert.match(await read.getByTestId("rule-docs").innerText(), /Flagged:/));
  // The write policy, one line below and no line moved, now has the
  // finding too: the list has a new problem right after the opened one.
  await editor(page).fill(notes("auth.uid() = owner"));
  await eventually(async () => assert.equal(await write.count(), 1));
  await planSettled(page);
  const opened = (problem) => problem.getByTestId("rule-docs").evaluate((details) => details.open);
  assert.equal(await opened(read), true, "the opened docs stay with their problem");
  assert.equal(await opened(write), false, "the new problem comes closed");
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("what a person scrolls to below the problems stays under the pointer while the problems come into view", async () => {
  const page = await harness.newPage();
  // Focus scrolls the export button, below every problem, into view.
  const button = page.getByTestId("export").filter({ hasText: "Plan (JSON)" });
  await button.focus();
  const under = await button.evaluate(async (target) => {
    const box = target.getBoundingClientRect();
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    const frames = [];
    for (let frame = 0; frame < 6; frame++) {
      await new Promise((done) => requestAnimationFrame(done));
      frames.push(document.elementFromPoint(x, y) === target);
    }
    return frames;
  });
  assert.deepEqual(under, [true, true, true, true, true, true], "the button stays where it was scrolled to, frame after frame");
  await Promise.all([page.waitForEvent("download"), button.click()]);
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("a rule can be turned off or made louder, and the exposed schemas set; the settings survive a reload", async () => {
  const page = await harness.newPage();
  await editor(page).fill("create schema api;\ncreate table api.orders (id int primary key);\ncreate view public.one as select 1 as one;\n");
  // Act on the plan of this text, as a person does, not on the example's.
  const definerView = problems(page).filter({ hasText: "view public.one reads its tables" });
  await eventually(async () => assert.equal(await definerView.count(), 1, "the typed view's finding"));
  await planSettled(page);
  const groups = page.getByTestId("problem-group");
  const initplan = groups.filter({ hasText: "PF403 auth-rls-initplan" });
  await eventually(async () => assert.ok(await initplan.count() >= 1));
  await initplan.first().getByTestId("rule-level").selectOption("off");
  await eventually(async () => assert.equal(await initplan.count(), 0));
  assert.match(await page.getByTestId("rules-off").innerText(), /Rules turned off: auth-rls-initplan/);

  // api is not exposed yet: its table raises nothing; once it is, it does.
  const exposed = groups.filter({ hasText: "PF407 rls-disabled-in-public" }).getByTestId("problem").filter({ hasText: "api.orders" });
  assert.equal(await exposed.count(), 0);
  await page.getByTestId("exposed-schemas").fill("public, api");
  await page.getByTestId("exposed-schemas").press("Enter");
  await eventually(async () => assert.equal(await exposed.count(), 1, "api.orders's finding once api is exposed"));
  assert.match(await groups.filter({ hasText: "PF407" }).locator(":scope > summary").innerText(), /^error PF407/);
  await groups.filter({ hasText: "PF407" }).getByTestId("rule-level").selectOption("warning");
  await eventually(async () => assert.match(await groups.filter({ hasText: "PF407" }).locator(":scope > summary").innerText(), /^warning PF407/));

  // Views check their caller's policies only from PostgreSQL 15 on.
  await eventually(async () => assert.equal(await definerView.count(), 1, "the view's finding after PF407 got louder"));
  await page.getByTestId("postgres-version").selectOption("14");
  await eventually(async () => assert.equal(await definerView.count(), 0));

  await page.getByTestId("save-status").filter({ hasText: "Saved in this browser" }).waitFor();
  await page.reload();
  await eventually(async () => assert.equal(await page.getByTestId("exposed-schemas").inputValue(), "public, api"));
  assert.equal(await page.getByTestId("postgres-version").inputValue(), "14");
  await eventually(async () => assert.equal(await exposed.count(), 1, "api.orders's finding after the reload"));
  assert.equal(await initplan.count(), 0);
  await page.getByTestId("turn-on").filter({ hasText: "auth-rls-initplan" }).click();
  await eventually(async () => assert.ok(await initplan.count() >= 1));
  assertClean(page, harness.server.url);
  await page.context().close();
});

test("SQL and names in the checklist, problems and rule docs are drawn as code, not between backticks", async () => {
  const page = await harness.newPage();
  const lastItem = page.getByTestId("preflight-item").last().locator("xpath=..");
  await eventually(async () => assert.match(await lastItem.innerText(), /expect only pass$/));
  assert.equal(await lastItem.locator("code").innerText(), "pass");

  await editor(page).fill("create table public.open_table (id int primary key);\n");
  const open = problems(page).filter({ hasText: "PF407" }).filter({ hasText: "public.open_table" });
  await eventually(async () => assert.equal(await open.count(), 1, "the table's PF407 finding"));
  const help = open.locator(".help");
  assert.match(await help.innerText(), /^help: add ALTER TABLE public\.open_table ENABLE ROW LEVEL SECURITY; and policies/);
  assert.equal(await help.locator("code").innerText(), "ALTER TABLE public.open_table ENABLE ROW LEVEL SECURITY;");
  assert.ok(!(await page.locator(".problems-section").innerText()).includes("`"), "no backtick left on the page's problems");
  assertClean(page, harness.server.url);
  await page.context().close();
});
