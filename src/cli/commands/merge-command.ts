import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.ts';
import { mergeResults } from '../../gate/merge-results.ts';
import { configOption, coverageOptions } from '../options.ts';
import { addHtmlOption, checkHtmlWritable } from '../html-output.ts';
import { checkWritable, uniqueResultPath } from '../output-path.ts';
import { writeRun } from '../run-output.ts';
import { writeGate } from './gate-command.ts';

interface MergeFlags {
  junit?: string;
  json?: string;
  html?: string;
  minAlertCoverage: number;
  minInhibitionCoverage: number;
  config: string;
}

/** `firedrill merge <result.json...>`: the shards of one gate or run as one result. */
export function addMergeCommand(program: Command): void {
  coverageOptions(addHtmlOption(
    program
      .command('merge')
      .description('combine the result JSONs of the shards of one gate or run into one JSON and one JUnit, coverage over the whole')
      .argument('<result...>', 'the result JSON of every shard (--shard 1/n to n/n)')
      .option('--junit <file>', 'write a JUnit XML report here')
      .option('--json <file>', 'write the merged result JSON here (default: a new file in .firedrill/results/)')
      .addOption(configOption())),
  ).action(async (files: string[], opts: MergeFlags) => {
    const outputs = { json: opts.json ?? uniqueResultPath('merged'), junit: opts.junit, html: opts.html };
    checkWritable(outputs.json, '--json');
    if (outputs.junit) checkWritable(outputs.junit, '--junit');
    checkHtmlWritable(outputs.html);
    const config = await loadConfig(opts.config);
    const merged = await mergeResults(config, files, opts);
    if (merged.kind === 'gate') return writeGate(merged.gate, outputs);
    writeRun(merged.run, outputs);
    process.exitCode = merged.run.ok ? 0 : 1;
  });
}
