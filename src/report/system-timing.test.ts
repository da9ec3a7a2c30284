import { describe, expect, it } from 'vitest';
import { describeScales } from './system-timing.ts';

describe('describeScales', () => {
  it('says the scale once when every system drilled shares it, else each system\'s', () => {
    const piyasa = { scale: 40, scrapeIntervalSeconds: 0.25, evaluationIntervalSeconds: 0.375 };
    expect(describeScales({ scale: 40, systemTimings: { piyasa, thebot: { ...piyasa, scrapeIntervalSeconds: 1.5 } } })).toBe('scale 40');
    expect(describeScales({ scale: 40, systemTimings: { piyasa, thebot: { ...piyasa, scale: 20 } } })).toBe('scale piyasa 40, thebot 20');
    // A result written before systemTimings: the run's own figure.
    expect(describeScales({ scale: 20 })).toBe('scale 20');
  });
});
