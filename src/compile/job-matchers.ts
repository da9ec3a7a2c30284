import { parser } from '@prometheus-io/lezer-promql';

/** The jobs among `jobs` an expression's positive `job` matchers (`=`, `=~`) name; undefined when it has none. */
export function jobsNamedBy(expr: string, jobs: readonly string[]): string[] | undefined {
  const matchers: { op: string; value: string }[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name !== 'UnquotedLabelMatcher') return;
      const name = node.node.getChild('LabelName');
      const op = node.node.getChild('MatchOp');
      const value = node.node.getChild('StringLiteral');
      if (name && op && value && expr.slice(name.from, name.to) === 'job') {
        matchers.push({ op: expr.slice(op.from, op.to), value: JSON.parse(expr.slice(value.from, value.to).replace(/^'(.*)'$/, '"$1"')) as string });
      }
    },
  });
  const positive = matchers.filter((m) => m.op === '=' || m.op === '=~');
  if (positive.length === 0) return undefined;
  return jobs.filter((job) => positive.some((m) => (m.op === '=' ? job === m.value : new RegExp(`^(?:${m.value})$`).test(job))));
}

/** The scaled scrape intervals of the jobs an expression's `job` matchers name; undefined when it names none. */
export function intervalsOfJobsNamed(expr: string, jobs: readonly { readonly job: string; readonly scaledIntervalMs: number }[]): number[] | undefined {
  const named = jobsNamedBy(expr, jobs.map((j) => j.job));
  return named && jobs.filter((j) => named.includes(j.job)).map((j) => j.scaledIntervalMs);
}
