import type { CompiledSystem } from '../compile/compile-system.ts';
import { parseDurationMs, formatDurationMs } from '../duration.ts';
import { badInput } from '../errors.ts';
import type { LoadedScenario } from '../scenario/load-scenarios.ts';
import { externalOf, remoteController } from '../stack/external/external-stack.ts';
import { drillBoundMs } from './game-day-plan.ts';

export const DEFAULT_MAX_DURATION = '30m';

const origin = (url: string) => new URL(url).origin;

/**
 * What must hold before a game day touches anything, each a one-line error naming the field:
 * every traffic and fault target on the allowlist, every service a drill sends traffic to known,
 * a fault controller (and its token) for drills with faults, and every drill shorter than the
 * maximum duration.
 */
export function checkGameDay(drills: readonly LoadedScenario[], compiled: ReadonlyMap<string, CompiledSystem>): void {
  for (const system of new Set(drills.map((d) => d.scenario.system))) {
    const c = compiled.get(system)!;
    const external = externalOf(c);
    const at = `systems.${system}.external`;
    const allowed = new Set(external.allow.map(origin));
    for (const [service, url] of Object.entries(external.services)) {
      if (!allowed.has(origin(url))) throw badInput(`${at}.services.${service}: ${url} is not on ${at}.allow; add ${origin(url)} there if the game day may send traffic to it`);
      if (!c.system.services.some((s) => s.name === service)) throw badInput(`${at}.services.${service}: the system has no service '${service}'; known: ${c.system.services.map((s) => s.name).join(', ')}`);
    }
    if (external.faults && !allowed.has(origin(external.faults.controller))) {
      throw badInput(`${at}.faults.controller: ${external.faults.controller} is not on ${at}.allow; add ${origin(external.faults.controller)} there if the game day may send faults to it`);
    }
  }
  for (const drill of drills) {
    const c = compiled.get(drill.scenario.system)!;
    const external = externalOf(c);
    const at = `systems.${drill.scenario.system}.external`;
    for (const t of drill.scenario.traffic) {
      if (external.services[t.service] === undefined) throw badInput(`scenario ${drill.scenario.name}: sends traffic to service '${t.service}', which ${at}.services does not name; add its URL (on ${at}.allow)`);
    }
    const untimeable = untimeablePage(drill.scenario);
    if (untimeable) throw badInput(untimeable);
    if (drill.scenario.faults.length > 0) {
      if (!external.faults) throw badInput(`scenario ${drill.scenario.name}: injects faults, and ${at}.faults names no fault controller on the stack; add { controller, tokenEnv }`);
      remoteController(c);
    }
    const maxMs = parseDurationMs(external.maxDuration ?? DEFAULT_MAX_DURATION, `${at}.maxDuration`);
    const boundMs = drillBoundMs(drill, c);
    if (boundMs > maxMs) throw badInput(`scenario ${drill.scenario.name}: may run ${formatDurationMs(boundMs)}, longer than ${at}.maxDuration ${formatDurationMs(maxMs)}; shorten the drill or raise maxDuration`);
  }
}

/**
 * A `notifyWithin` a game day cannot judge: an outside Alertmanager's page times are when a poll
 * saw the routing, or when the copy routed to firedrill arrived (by its own route's group_wait):
 * neither is when the team's page went out, and both can be sooner.
 */
export function untimeablePage(scenario: Pick<LoadedScenario['scenario'], 'name' | 'expect'>): string | undefined {
  const index = scenario.expect.findIndex((e) => e.kind === 'notifies' && e.notifyWithin !== undefined);
  if (index < 0) return undefined;
  return `scenario ${scenario.name}: expect[${index}].notifyWithin cannot be judged on a game day: firedrill sees when Alertmanager routed the page, not when the team's route sent it; drop notifyWithin here, or drill it on a stack firedrill starts (run, gate)`;
}

/** Game days run in real time: `--scale` may only be 1 (or left out). */
export function checkGameDayScale(scale: number | 'auto'): void {
  if (scale !== 'auto' && scale !== 1) throw badInput(`--scale ${scale}: a game day runs in real time on a stack firedrill does not rewire; use --scale 1 or leave it out`);
}
