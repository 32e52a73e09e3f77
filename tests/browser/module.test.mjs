// The built module must import nothing but wasm-bindgen's glue: an `env.*` or
// `wasi_snapshot_preview1.*` import is a C symbol the link left unresolved,
// and would fail at start-up in the browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { DIST } from "./serve-dist.mjs";

test("the wasm module imports only wasm-bindgen glue", async () => {
  const wasmFiles = (await readdir(DIST)).filter((name) => name.endsWith(".wasm"));
  assert.equal(wasmFiles.length, 1, `expected one .wasm in ${DIST}, found ${wasmFiles}`);
  const module = await WebAssembly.compile(await readFile(join(DIST, wasmFiles[0])));
  const imports = WebAssembly.Module.imports(module);
  const isGlue = (name) => name === "wbg" || name.endsWith("_bg.js");
  const foreign = imports.filter(({ module }) => !isGlue(module));
  assert.deepEqual(foreign, [], "imports from outside wasm-bindgen's glue");
  assert.ok(imports.length > 0, "wasm-bindgen glue imports are expected");
});

// What a first visit downloads (served compressed, as every static host
// does). 1.36 MiB gzipped in November 2026, after wasm-opt -Os (1.60 MiB
// without it); 1.50 MiB in December 2026, with the catalog, the lint rules
// and the replays' checkpoints (wasm-opt -Oz saves 1 KB of it). The budget
// leaves room for the next features and fails on an accidental doubling (a
// second copy of the parser, a debug build, wasm-opt left out).
const GZIPPED_BUDGET = 1.6 * 1024 * 1024;

test("the wasm module stays within its download budget", async () => {
  const wasm = (await readdir(DIST)).find((name) => name.endsWith(".wasm"));
  const gzipped = gzipSync(await readFile(join(DIST, wasm)), { level: 9 }).length;
  console.log(`${wasm}: ${(gzipped / 1024 / 1024).toFixed(2)} MB gzipped`);
  assert.ok(gzipped <= GZIPPED_BUDGET, `${gzipped} bytes gzipped, over the budget of ${GZIPPED_BUDGET}`);
});
