import type { Command } from 'commander';
import { renderHtmlReport, type HtmlReportInput } from '../report/html/html-report.ts';
import type { RunResult } from '../report/run-result.ts';
import { writeOutput } from './options.ts';
import { checkWritable } from './output-path.ts';

/** `--html FILE` on run, gate and merge: checked before anything starts, written with the JSON. */
export function addHtmlOption(command: Command): Command {
  return command.option('--html <file>', 'also write a self-contained HTML report here (timeline, verdicts, graphs of every judged rule)');
}

export function checkHtmlWritable(file: string | undefined): void {
  if (file) checkWritable(file, '--html');
}

export function writeHtmlReport(file: string | undefined, input: HtmlReportInput): void {
  if (!file) return;
  writeOutput(file, renderHtmlReport(input));
  console.log(`HTML report: ${file}`);
}

/** A run result's report: a game day's says where it ran and whether anyone was paged. */
export function reportInputOf(run: RunResult): HtmlReportInput {
  if (!run.gameDay) return { kind: 'run', run };
  return {
    kind: 'game day',
    run,
    notes: [
      'on a stack firedrill did not start; verdicts from its own Prometheus and Alertmanager',
      run.gameDay.silenced ? "the drills' alerts were silenced in Alertmanager while they ran (--silence): routed, not delivered; nobody was paged" : 'receivers were notified as in production',
    ],
  };
}
