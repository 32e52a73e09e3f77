// Accessibility, checked by axe-core in the real page (light and dark), and
// the keyboard: every control of the workspace is reachable and named.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { assertClean, eventually, startBrowser } from "./harness.mjs";

const AXE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
let harness;

before(async () => {
  harness = await startBrowser();
});

after(async () => {
  await harness?.close();
});

/** axe's serious and critical findings on the page as it is now. */
async function seriousViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(AXE);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join(", ")})`);
}

for (const colorScheme of ["light", "dark"]) {
  test(`axe finds no serious or critical violations (${colorScheme})`, async () => {
    const page = await harness.newPage({ colorScheme, viewport: { width: 1280, height: 800 } });
    await eventually(async () => assert.equal(await page.getByTestId("graph-node").count(), 4));
    // Open what a person opens: a step's SQL, a problem group, the checklist.
    await page.getByTestId("step").first().getByTestId("sql").locator("summary").click();
    assert.deepEqual(await seriousViolations(page), []);
    assertClean(page, harness.server.url);
    await page.context().close();
  });
}

test("the keyboard reaches the workspace's commands, the graph's steps and the runbook's controls", async () => {
  const page = await harness.newPage();
  await eventually(async () => assert.equal(await page.getByTestId("graph-node").count(), 4));
  const reached = new Set();
  for (let press = 0; press < 120; press++) {
    await page.keyboard.press("Tab");
    const id = await page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName);
    reached.add(id);
  }
  for (const id of ["open-files", "open-folder", "new-file", "load-example", "share-link", "file-filter", "file-name", "rename-file", "sql-editor", "graph-node", "problem-location", "step-done", "copy-sql"]) {
    assert.ok(reached.has(id), `Tab never reached ${id}: ${[...reached].join(", ")}`);
  }
  assertClean(page, harness.server.url);
  await page.context().close();
});
