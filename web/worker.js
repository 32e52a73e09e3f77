// Starts Preflight's planning worker: the page's own module. The page sends
// its compiled WebAssembly module first (nothing is fetched or compiled
// twice); the glue's URL comes in the query. Once started, the module sees
// it is in a worker and waits for work.
const compiled = new Promise((resolve) => {
  self.addEventListener("message", (event) => resolve(event.data), { once: true });
});
const { default: init } = await import(new URL(self.location.href).searchParams.get("glue"));
await init({ module_or_path: await compiled });
