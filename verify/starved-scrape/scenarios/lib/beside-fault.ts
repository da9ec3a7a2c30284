import { defineScenario, expectAlert, fault, type Scenario } from '../../../../src/index.ts';

/**
 * Redis stopped from the start: the api names it, so a scrape of the api that times out meanwhile
 * may be that fault's doing. The service holds its main thread a second in (starved or asleep).
 */
export const besideFault = (system: 'starve-once' | 'block-once'): Scenario =>
  defineScenario({
    name: `beside-fault-${system}`,
    system,
    duration: '8m',
    traffic: [{ service: 'api', rps: 20, requests: [{ method: 'GET', path: '/' }] }],
    faults: [{ at: '0s', hold: '7m', fault: fault.stop('cache') }],
    expect: [expectAlert('TargetDown').toNotFire()],
  });

