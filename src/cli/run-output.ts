import { formatRunSummary, formatRunTable } from '../report/console-report.ts';
import { runJUnitSuites } from '../report/gate-report.ts';
import { formatJUnit } from '../report/junit.ts';
import type { RunResult } from '../report/run-result.ts';
import { reportInputOf, writeHtmlReport } from './html-output.ts';
import { writeOutput } from './options.ts';

/** Writes a run result (a run, merged shards of one, or a game day) as JSON, JUnit and HTML as asked, and prints its table and summary. */
export function writeRun(run: RunResult, outputs: { readonly json: string; readonly junit?: string; readonly html?: string }): void {
  writeOutput(outputs.json, `${JSON.stringify(run, null, 2)}\n`);
  if (outputs.junit) writeOutput(outputs.junit, formatJUnit('firedrill-run', runJUnitSuites(run)));
  console.log(formatRunTable(run));
  console.log('');
  console.log(formatRunSummary(run));
  console.log(`result JSON: ${outputs.json}${outputs.junit ? `; JUnit: ${outputs.junit}` : ''}`);
  writeHtmlReport(outputs.html, reportInputOf(run));
}
