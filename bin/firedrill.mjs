#!/usr/bin/env node
// Loads TypeScript (CLI, config, scenarios) through tsx, then hands over to the CLI. Both hooks:
// in a CommonJS project (npm's default) the user's firedrill.config.ts is a CommonJS module.
import { register } from 'tsx/esm/api';
import { register as registerCommonJs } from 'tsx/cjs/api';

register();
registerCommonJs();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
