import { defineScenario, expectAlert, type Scenario } from '../../../../src/index.ts';

/** Healthy traffic, no fault: TargetDown must stay quiet. The service's /metrics stalls (or fails) a second in. */
export function healthyDrill(system: string): Scenario {
  return defineScenario({
    name: `healthy-${system}`,
    system,
    duration: '8m',
    traffic: [{ service: 'api', rps: 20, requests: [{ method: 'GET', path: '/' }] }],
    faults: [],
    expect: [expectAlert('TargetDown').toNotFire()],
  });
}
