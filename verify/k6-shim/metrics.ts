// k6/metrics: records every value added, by metric name.
export const added = new Map<string, number[]>();
class Metric {
  constructor(readonly name: string) {
    added.set(name, []);
  }
  add(value: number): void {
    added.get(this.name)!.push(value);
  }
}
export class Counter extends Metric {}
export class Trend extends Metric {}
export class Rate extends Metric {}
