#!/usr/bin/env node
// Loads TypeScript (CLI, config, scenarios) through tsx, then hands over to the CLI. Both hooks:
// in a CommonJS project (npm's default) the user's firedrill.config.ts is a CommonJS module.
import { register } from 'tsx/esm/api';
import { register as registerCommonJs } from 'tsx/cjs/api';

register();
registerCommonJs();
// Once everything a command started has been stopped (the event loop drained), exit at once:
// Node's own teardown after a natural exit was seen spinning at full CPU forever
// (Environment::CleanupHandles, after a gate had written its result), which would hang a CI job.
// 'beforeExit' comes only when nothing is pending, so no stop, removal or write is cut short.
process.once('beforeExit', () => process.exit());
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
