import type { StackPart } from '../stack/stack-part.ts';
import type { DriverFault, FaultDriver, FaultOutcome } from './fault-driver.ts';

/** kill, stop, pause and restart on the processes of services, exporters and managed dependencies (or on containers, given container parts). */
export class ProcessFaultDriver implements FaultDriver {
  readonly name = 'process' as const;

  constructor(private readonly processes: ReadonlyMap<string, StackPart>) {}

  async inject({ spec }: DriverFault): Promise<FaultOutcome | void> {
    const target = this.#process(spec.target);
    const issuedAtMs = Date.now();
    switch (spec.kind) {
      case 'pause':
        return target.pause();
      case 'stop':
        return target.stop();
      case 'kill':
        target.kill();
        return target.waitExited();
      case 'restart': {
        target.kill();
        await target.waitExited();
        // The plan turns the step's gap (rule time) into wall milliseconds.
        const gapMs = Number(spec.params?.gapMs ?? 0);
        if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
        await target.start();
        return { downMs: Date.now() - issuedAtMs };
      }
    }
  }

  async revert({ spec }: DriverFault, injectedAtMs: number): Promise<FaultOutcome | void> {
    const target = this.#process(spec.target);
    if (spec.kind === 'pause') return target.resume();
    if ((spec.kind === 'kill' || spec.kind === 'stop') && !target.running) {
      await target.start();
      return { downMs: Date.now() - injectedAtMs };
    }
  }

  #process(name: string): StackPart {
    const target = this.processes.get(name);
    if (!target) throw new Error(`process fault on '${name}': not a process of this stack`);
    return target;
  }
}
