#!/usr/bin/env node
// Runs a TypeScript script (benchmarks) through tsx, with the libuv pool sized for chdb.
process.env.UV_THREADPOOL_SIZE ??= '16';
const { register } = await import('tsx/esm/api');
register();
const { pathToFileURL } = await import('node:url');
const script = process.argv[2];
process.argv.splice(2, 1);
await import(pathToFileURL(script).href);
