import { badInput } from './errors.ts';

const UNIT_MS: Record<string, number> = {
  y: 365 * 24 * 3_600_000,
  w: 7 * 24 * 3_600_000,
  d: 24 * 3_600_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
};
const UNIT_ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
const DURATION_PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * Parses a Prometheus duration (`'1h30m'`, `'250ms'`) into milliseconds. A number without a unit
 * is refused, as Prometheus' and Alertmanager's configs refuse it (but 0): `'300'` meant as
 * milliseconds in a latency fault was read as 300 seconds, and the drill ran with a five-minute
 * delay. Where the format itself reads a bare number as seconds (a PromQL range or offset, a
 * Grafana interval), pass `bare: 'seconds'`.
 */
export function parseDurationMs(text: string | number, where: string, bare: 'refuse' | 'seconds' = 'refuse'): number {
  const trimmed = String(text).trim();
  if (/^0+$/.test(trimmed)) return 0;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    if (bare === 'seconds') return Number(trimmed) * 1000;
    throw badInput(`${where}: '${trimmed}' has no unit; write '${trimmed}ms' or '${trimmed}s' (durations carry a unit, as in Prometheus)`);
  }
  const match = DURATION_PATTERN.exec(trimmed);
  if (!match || trimmed === '') {
    throw badInput(`${where}: '${text}' is not a duration; write it like '30s', '5m' or '1h30m'`);
  }
  return UNIT_ORDER.reduce((total, unit, index) => total + Number(match[index + 1] ?? 0) * UNIT_MS[unit]!, 0);
}

/** Formats milliseconds as a Prometheus duration, rounding to whole milliseconds. */
export function formatDurationMs(ms: number): string {
  let rest = Math.round(ms);
  if (rest <= 0) return '0s';
  let out = '';
  for (const unit of ['h', 'm', 's', 'ms']) {
    const size = UNIT_MS[unit]!;
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}

export function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}
