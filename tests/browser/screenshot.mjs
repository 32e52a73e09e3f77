// Makes docs/screenshot.png: a person's own folder (the TrackPay fixture)
// opened in the page and planned. Run after a build:
//   node tests/browser/screenshot.mjs
import { chromium } from "playwright-core";
import { serveDist } from "./serve-dist.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const server = await serveDist();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.goto(server.url);
await page.getByTestId("folder-input").setInputFiles(`${ROOT}crates/preflight-core/tests/fixtures/trackpay`);
await page.waitForFunction(() => /statements in 6 files/.test(document.querySelector("[data-testid=summary]")?.textContent ?? ""));
await page.getByTestId("file-row").filter({ hasText: "020_rls_policies.sql" }).getByTestId("file-name").click();
await page.getByTestId("planning").waitFor({ state: "detached" });
await page.getByTestId("save-status").filter({ hasText: "Saved in this browser" }).waitFor();
await page.screenshot({ path: `${ROOT}docs/screenshot.png` });
console.log(`wrote ${ROOT}docs/screenshot.png`);
await browser.close();
await server.close();
