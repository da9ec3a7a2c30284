import type { ScenarioProgress } from '../scenario/run-scenario.ts';

/** Plain-line mode prints at least this often, and whenever an alert changes state. */
const PLAIN_EVERY_S = 10;

export function formatProgress(p: ScenarioProgress): string {
  const alerts = Object.entries(p.alerts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, state]) => `${name}=${state}`)
    .join(' ');
  const clock = p.phase === 'running' ? `${p.elapsedS.toFixed(0)}s/${p.durationS.toFixed(0)}s` : `settling ${p.elapsedS.toFixed(0)}s`;
  return `${p.scenario}  ${clock}  ${p.rps.toFixed(1)} rps  ${p.failures} errors/${p.requests}  alerts: ${alerts || 'none'}`;
}

/** The short form for a terminal line shared by every running scenario: name, clock, active alerts. */
export function formatCompactProgress(p: ScenarioProgress): string {
  const alerts = Object.entries(p.alerts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, state]) => `${name}=${state}`);
  const clock = p.phase === 'running' ? `${p.elapsedS.toFixed(0)}/${p.durationS.toFixed(0)}s` : 'settling';
  return [p.scenario, clock, ...alerts].join(' ');
}

/**
 * Live progress on stderr: one line redrawn in place on a terminal (with one scenario its full
 * form, with several a compact entry each behind their count); plain lines, per scenario every
 * 10 s and on every alert state change or phase change, when stderr is a file or a CI log.
 */
export class LiveProgress {
  readonly #plain = new Map<string, { atS: number; alerts: string; phase: ScenarioProgress['phase'] }>();
  readonly #current = new Map<string, string>();
  #drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(p: ScenarioProgress): void {
    const line = formatProgress(p);
    if (this.stream.isTTY) {
      this.#current.set(p.scenario, formatCompactProgress(p));
      const width = this.stream.columns || 120;
      const shown = this.#current.size === 1 ? line : `${this.#current.size} running: ${[...this.#current.values()].join(' | ')}`;
      this.stream.write(`\r\x1b[K${shown.slice(0, width - 1)}`);
      this.#drawn = true;
      return;
    }
    const alerts = JSON.stringify(p.alerts);
    const last = this.#plain.get(p.scenario);
    if (last && alerts === last.alerts && p.phase === last.phase && p.elapsedS - last.atS < PLAIN_EVERY_S) return;
    this.#plain.set(p.scenario, { atS: p.elapsedS, alerts, phase: p.phase });
    this.stream.write(`  ${line}\n`);
  }

  /** Forgets a finished scenario and clears the redrawn line before other output. */
  clear(scenario?: string): void {
    if (scenario === undefined) this.#current.clear();
    else this.#current.delete(scenario);
    if (scenario !== undefined) this.#plain.delete(scenario);
    if (this.#drawn) this.stream.write('\r\x1b[K');
    this.#drawn = false;
  }
}
