/** One JUnit testsuite: a gate stage or a scenario; one testcase per check or expectation. */
export interface JUnitSuite {
  readonly name: string;
  readonly timeSeconds: number;
  readonly cases: readonly { readonly name: string; readonly ok: boolean; readonly detail: string; readonly skipped?: boolean }[];
}

const escape = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML as GitHub, GitLab and Jenkins read it (testsuites > testsuite > testcase > failure). */
export function formatJUnit(name: string, suites: readonly JUnitSuite[]): string {
  const count = (pick: (c: JUnitSuite['cases'][number]) => boolean) => suites.reduce((n, s) => n + s.cases.filter(pick).length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escape(name)}" tests="${count(() => true)}" failures="${count((c) => !c.ok && !c.skipped)}" skipped="${count((c) => !!c.skipped)}" time="${suites.reduce((t, s) => t + s.timeSeconds, 0).toFixed(3)}">`,
  ];
  for (const suite of suites) {
    lines.push(
      `  <testsuite name="${escape(suite.name)}" tests="${suite.cases.length}" failures="${suite.cases.filter((c) => !c.ok && !c.skipped).length}" skipped="${suite.cases.filter((c) => c.skipped).length}" time="${suite.timeSeconds.toFixed(3)}">`,
    );
    for (const c of suite.cases) {
      const open = `    <testcase classname="${escape(`${name}.${suite.name}`)}" name="${escape(c.name)}"`;
      if (c.skipped) lines.push(`${open}><skipped message="${escape(c.detail)}"/></testcase>`);
      else if (c.ok) lines.push(`${open}><system-out>${escape(c.detail)}</system-out></testcase>`);
      else lines.push(`${open}><failure message="${escape(c.detail.split('\n')[0] ?? '')}">${escape(c.detail)}</failure></testcase>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
