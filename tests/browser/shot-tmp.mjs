import { chromium } from "playwright-core";
import { serveDist } from "./serve-dist.mjs";
const server = await serveDist();
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu","--disable-background-networking"] });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
page.on("console", m => { if (m.type() === "error") console.log("console:", m.text()); });
page.on("pageerror", e => console.log("pageerror:", e.message));
await page.goto(server.url);
if (process.argv[2]) {
  await page.getByTestId("folder-input").setInputFiles(process.argv[2]);
  await page.waitForTimeout(4000);
}
await page.waitForTimeout(1500);
console.log(await page.getByTestId("graph-summary").textContent());
await page.locator(".graph-panel").screenshot({ path: "/tmp/graph.png" });
await browser.close(); await server.close();
