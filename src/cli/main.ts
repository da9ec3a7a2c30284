import { Command } from 'commander';
import { describeError } from '../errors.ts';
import { addBuildCommand } from './commands/build-command.ts';
import { addGateCommand } from './commands/gate-command.ts';
import { addInitCommand } from './commands/init-command.ts';
import { addDashboardsCommand } from './commands/dashboards-command.ts';
import { addPopulateCommand } from './commands/populate-command.ts';
import { addMergeCommand } from './commands/merge-command.ts';
import { addReportCommand } from './commands/report-command.ts';
import { addRevertCommand } from './commands/revert-command.ts';
import { addRunCommand } from './commands/run-command.ts';
import { addUpCommand } from './commands/up-command.ts';

export function buildProgram(): Command {
  const program = new Command('firedrill')
    .description('Fire drills for your monitoring: prove that alerts fire, route and inhibit as designed.')
    // One line per error, firedrill's own prefix; usage stays under --help.
    .configureOutput({ outputError: (text, write) => write(`firedrill: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see firedrill --help)\n`) })
    .exitOverride();
  addInitCommand(program);
  addRunCommand(program);
  addGateCommand(program);
  addMergeCommand(program);
  addDashboardsCommand(program);
  addPopulateCommand(program);
  addReportCommand(program);
  addRevertCommand(program);
  addBuildCommand(program);
  addUpCommand(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      process.exitCode = 2;
      return;
    }
    console.error(`firedrill: ${describeError(error)}`);
    // A run stopped by Ctrl-C keeps its 130/143, whatever failed on the way out.
    if (process.exitCode !== 130 && process.exitCode !== 143) process.exitCode = 2;
  }
}
export { exitWithin } from '../exit-within.ts';
