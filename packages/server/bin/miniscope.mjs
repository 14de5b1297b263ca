#!/usr/bin/env node
// The `miniscope` command. chdb calls each hold a libuv worker, so the pool must be larger than
// Node's default 4 (research/storage-spike.md, rule 4); it is sized before anything uses it, and
// the TypeScript sources run through tsx.
process.env.UV_THREADPOOL_SIZE ??= '16';
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/main.ts');
