// The built module must import nothing but wasm-bindgen's glue: an `env.*` or
// `wasi_snapshot_preview1.*` import is a C symbol the link left unresolved,
// and would fail at start-up in the browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
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
