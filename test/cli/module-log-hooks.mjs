// Resolve hook for module-log.mjs. tsx and its helpers are the test's loader, not the program's.
const LOADER = /node_modules\/(tsx|esbuild|@esbuild|get-tsconfig|resolve-pkg-maps)\//;

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes('/node_modules/') && !LOADER.test(r.url)) process.stderr.write(`LOADED ${r.url}\n`);
  return r;
}
