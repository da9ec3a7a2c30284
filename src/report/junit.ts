/** A failure of an earlier run of one testcase: Surefire's `flakyFailure` when the last run passed, `rerunFailure` when it failed too. */
export interface JUnitEarlierFailure {
  readonly message: string;
  readonly detail: string;
}

/** One testcase: a check or an expectation, as its last run judged it. */
export interface JUnitCase {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly skipped?: boolean;
  /** Earlier runs of this case that failed (a void attempt of its drill); `ok` and `detail` are the last run's. */
  readonly earlierFailures?: readonly JUnitEarlierFailure[];
}

/** One JUnit testsuite: a gate stage or a scenario; one testcase per check or expectation. */
export interface JUnitSuite {
  readonly name: string;
  readonly timeSeconds: number;
  readonly cases: readonly JUnitCase[];
  /** `<properties>`, e.g. how many attempts a scenario took. */
  readonly properties?: Readonly<Record<string, string>>;
  /** `<system-err>` of the suite: what happened to the run that no testcase carries. */
  readonly systemErr?: string;
}

const escape = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** A case's earlier failures as Surefire writes reruns, which Jenkins and the report actions read as flaky or failed again. */
function earlierFailureLines(c: JUnitCase): string[] {
  const element = c.ok ? 'flakyFailure' : 'rerunFailure';
  return (c.earlierFailures ?? []).map((f) => `      <${element} message="${escape(f.message)}" type="void attempt"><stackTrace>${escape(f.detail)}</stackTrace></${element}>`);
}

/**
 * JUnit XML as GitHub, GitLab and Jenkins read it (testsuites > testsuite > testcase > failure),
 * with Surefire's rerun elements for cases of a drill that ran again.
 */
export function formatJUnit(name: string, suites: readonly JUnitSuite[]): string {
  const count = (pick: (c: JUnitCase) => boolean) => suites.reduce((n, s) => n + s.cases.filter(pick).length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escape(name)}" tests="${count(() => true)}" failures="${count((c) => !c.ok && !c.skipped)}" skipped="${count((c) => !!c.skipped)}" time="${suites.reduce((t, s) => t + s.timeSeconds, 0).toFixed(3)}">`,
  ];
  for (const suite of suites) {
    lines.push(
      `  <testsuite name="${escape(suite.name)}" tests="${suite.cases.length}" failures="${suite.cases.filter((c) => !c.ok && !c.skipped).length}" skipped="${suite.cases.filter((c) => c.skipped).length}" time="${suite.timeSeconds.toFixed(3)}">`,
    );
    const properties = Object.entries(suite.properties ?? {});
    if (properties.length > 0) {
      lines.push('    <properties>', ...properties.map(([key, value]) => `      <property name="${escape(key)}" value="${escape(value)}"/>`), '    </properties>');
    }
    for (const c of suite.cases) {
      const open = `    <testcase classname="${escape(`${name}.${suite.name}`)}" name="${escape(c.name)}"`;
      const verdict = c.ok ? `<system-out>${escape(c.detail)}</system-out>` : `<failure message="${escape(c.detail.split('\n')[0] ?? '')}">${escape(c.detail)}</failure>`;
      const earlier = earlierFailureLines(c);
      if (c.skipped) lines.push(`${open}><skipped message="${escape(c.detail)}"/></testcase>`);
      else if (earlier.length === 0) lines.push(`${open}>${verdict}</testcase>`);
      // Elements in the schema's order: a failure before the other runs' failures, the output after them.
      else lines.push(`${open}>`, ...(c.ok ? [...earlier, `      ${verdict}`] : [`      ${verdict}`, ...earlier]), '    </testcase>');
    }
    if (suite.systemErr) lines.push(`    <system-err>${escape(suite.systemErr)}</system-err>`);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
