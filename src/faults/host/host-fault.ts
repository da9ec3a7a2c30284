/** What a simulated host can be made to suffer; each kind moves the node_exporter series its alerts read. */
export const HOST_FAULT_KINDS = ['cpu', 'memory', 'disk_io', 'load', 'disk_fill'] as const;
export type HostFaultKind = (typeof HOST_FAULT_KINDS)[number];

/**
 * A host fault as plain data.
 * @example { id: 'cpu-spike', kind: 'cpu', params: { percent: 90 } }
 */
export interface HostFault {
  readonly id: string;
  readonly kind: HostFaultKind;
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

interface NumberParam {
  readonly min: number;
  readonly max?: number;
  readonly example: number;
}

/** Each kind takes exactly one number; unknown keys are rejected so a typo cannot pass as the baseline. */
const PARAMS: Readonly<Record<HostFaultKind, Readonly<Record<string, NumberParam>>>> = {
  cpu: { percent: { min: 0, max: 100, example: 90 } },
  memory: { percent: { min: 0, max: 100, example: 85 } },
  disk_io: { opsPerSecond: { min: 0, example: 1500 } },
  load: { load1: { min: 0, example: 4 } },
  disk_fill: { percent: { min: 0, max: 100, example: 90 } },
};

export function isHostFaultKind(kind: string): kind is HostFaultKind {
  return (HOST_FAULT_KINDS as readonly string[]).includes(kind);
}

/** `params.<name>: what is wrong; what to write` for each problem; empty when valid. Used before anything starts. */
export function hostFaultProblems(kind: string, params: Readonly<Record<string, unknown>>): string[] {
  if (!isHostFaultKind(kind)) return [`kind: '${kind}' is not a host fault; write one of ${HOST_FAULT_KINDS.join(', ')}`];
  const wanted = PARAMS[kind];
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(wanted)) {
    const problem = numberProblem(params[name], spec);
    if (problem) problems.push(`params.${name}: ${problem}; write ${describeRange(spec)}, e.g. { ${name}: ${spec.example} }`);
  }
  for (const name of Object.keys(params)) {
    if (!(name in wanted)) problems.push(`params.${name}: not a parameter of ${kind}; remove it (${kind} takes ${Object.keys(wanted).join(', ')})`);
  }
  return problems;
}

/** The validated number a fault of `kind` carries (its one parameter). */
export function hostFaultLevel(fault: HostFault): number {
  const name = Object.keys(PARAMS[fault.kind])[0]!;
  return fault.params[name] as number;
}

function numberProblem(value: unknown, spec: NumberParam): string | undefined {
  if (value === undefined) return 'missing';
  if (typeof value !== 'number') return `${JSON.stringify(value)} is a ${typeof value}, not a number`;
  if (!Number.isFinite(value)) return `${value} is not a finite number`;
  if (value < spec.min || (spec.max !== undefined && value > spec.max)) return `${value} is out of range`;
  return undefined;
}

function describeRange(spec: NumberParam): string {
  return spec.max === undefined ? `a number >= ${spec.min}` : `a number from ${spec.min} to ${spec.max}`;
}
