#!/usr/bin/env node
// Loads TypeScript (CLI, config, scenarios) through tsx, then hands over to the CLI. Both hooks:
// in a CommonJS project (npm's default) the user's firedrill.config.ts is a CommonJS module.
import { register } from 'tsx/esm/api';
import { register as registerCommonJs } from 'tsx/cjs/api';

register();
registerCommonJs();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
// Everything a command started has been stopped and awaited by now. Exit explicitly, once stdout
// and stderr are flushed: Node's own teardown at a natural exit was seen spinning at full CPU
// forever (Environment::CleanupHandles, a gate whose result was already written), which would
// hang a CI job.
await new Promise((resolve) => process.stdout.write('', () => process.stderr.write('', resolve)));
process.exit();
