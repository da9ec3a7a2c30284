import type { Command } from 'commander';
import { renderHtmlReport, type HtmlReportInput } from '../report/html/html-report.ts';
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
