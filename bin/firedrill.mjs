#!/usr/bin/env node
// Loads TypeScript (CLI, config, scenarios) through tsx, then hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
