#!/usr/bin/env node
// Measures the CLI at the limits a person may reach: a 50 MB file, 100,000
// statements, 5,000 files, 10,000-deep nesting, a 1 MB statement, a 64 KB
// identifier. Each must be planned or refused with a clear message: never a
// hang, a crash or an abort. Prints wall time, peak memory (with GNU time,
// when installed) and the outcome of each.
//
//   cargo build --release -p preflight-cli && node scripts/limits.mjs
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const binary = new URL("../target/release/preflight", import.meta.url).pathname;
if (!existsSync(binary)) {
  console.error(`${binary} is missing: run cargo build --release -p preflight-cli first`);
  process.exit(2);
}
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
const TIMEOUT_MS = 10 * 60 * 1000;

const repeat = (count, line) => Array.from({ length: count }, (_, n) => line(n)).join("\n");

const cases = {
  "50 MB file (bulk inserts)": (dir) => {
    const row = (n) => `(${n}, 'row ${n} ${"x".repeat(80)}')`;
    const insert = repeat(500, (s) => `insert into big values ${Array.from({ length: 1000 }, (_, r) => row(s * 1000 + r)).join(",")};`);
    writeFileSync(join(dir, "001_big.sql"), `create table big (id int primary key, note text);\n${insert}\n`);
  },
  "100,000 statements": (dir) => {
    const statements = repeat(25_000, (n) =>
      [
        `create table t${n} (id int primary key, v text);`,
        `create index t${n}_v on t${n} (v);`,
        `alter table t${n} add column w int;`,
        `comment on table t${n} is 'table ${n}';`,
      ].join("\n"),
    );
    writeFileSync(join(dir, "001_many.sql"), statements + "\n");
  },
  "5,000 files (a chain of foreign keys, names reversed)": (dir) => {
    for (let n = 0; n < 5000; n++) {
      const references = n === 0 ? "" : `, parent int references t${n - 1} (id)`;
      // Named so that the name order is the reverse of the order that runs.
      writeFileSync(join(dir, `${String(5000 - n).padStart(5, "0")}_t${n}.sql`), `create table t${n} (id int primary key${references});\n`);
    }
  },
  "10,000-deep nesting": (dir) => {
    writeFileSync(join(dir, "001_deep.sql"), `create table a (id int);\nselect ${"(".repeat(10_000)}1${")".repeat(10_000)};\ncreate table b (id int);\n`);
  },
  "1 MB single statement": (dir) => {
    const values = Array.from({ length: 20_000 }, (_, n) => `(${n}, '${"y".repeat(40)}')`).join(",");
    writeFileSync(join(dir, "001_one.sql"), `create table one (id int, v text);\ninsert into one values ${values};\n`);
  },
  "64 KB identifier": (dir) => {
    writeFileSync(join(dir, "001_long.sql"), `create table "${"n".repeat(65_536)}" (id int);\ncreate table ${"m".repeat(65_536)} (id int);\n`);
  },
};

const only = process.argv[2];
for (const [name, make] of Object.entries(cases)) {
  if (only && !name.includes(only)) continue;
  const dir = mkdtempSync(join(tmpdir(), "preflight-limits-"));
  const input = join(dir, "in");
  mkdirSync(input);
  make(input);
  const output = join(dir, "plan.sql");
  const args = ["plan", "--format", "sql", "-o", output, input];
  const command = gnuTime ? [gnuTime, ["-f", "%e %M", binary, ...args]] : [binary, args];
  const started = process.hrtime.bigint();
  const run = spawnSync(command[0], command[1], { encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stderr = run.stderr ?? "";
  const measured = gnuTime ? stderr.trim().split("\n").pop() : "";
  const peak = gnuTime ? `${Math.round(Number(measured.split(" ")[1]) / 1024)} MB peak` : "peak memory not measured (no GNU time)";
  const outcome =
    run.error?.code === "ETIMEDOUT" ? "HUNG (killed after 10 min)"
    : run.signal ? `CRASHED (${run.signal})`
    : `exit ${run.status}`;
  const said = stderr.split("\n").filter((line) => line && line !== measured).slice(0, 2).join(" | ");
  console.log(`${name}: ${outcome}, ${seconds.toFixed(2)} s, ${peak}${said ? `; said: ${said.slice(0, 200)}` : ""}`);
  rmSync(dir, { recursive: true, force: true });
  if (run.signal || run.error) process.exitCode = 1;
}
