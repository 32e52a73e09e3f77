// Trunk post-build hook: allows the page's inline scripts (Trunk's start-up
// script) in the Content-Security-Policy by their SHA-256 hashes, so the
// policy needs no 'unsafe-inline'.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const page = join(process.env.TRUNK_STAGING_DIR ?? "dist", "index.html");
const html = readFileSync(page, "utf8");
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map(([, body]) => `'sha256-${createHash("sha256").update(body).digest("base64")}'`);
if (!html.includes("INLINE_SCRIPT_HASHES")) {
  throw new Error(`${page}: the Content-Security-Policy has no INLINE_SCRIPT_HASHES to fill in`);
}
writeFileSync(page, html.replace("INLINE_SCRIPT_HASHES", hashes.join(" ")));
console.log(`csp-hashes: allowed ${hashes.length} inline script(s) by hash in ${page}`);
