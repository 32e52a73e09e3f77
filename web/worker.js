// Starts Preflight's planning worker: the page's own module (its glue and
// wasm URLs come in the query), whose start-up sees it is in a worker and
// waits for work.
const query = new URL(self.location.href).searchParams;
const { default: init } = await import(query.get("glue"));
await init({ module_or_path: query.get("wasm") });
