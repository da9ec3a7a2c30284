// k6/execution: the test sets which k6 scenario is "running"; abort throws like k6 stops the test.
export class TestAborted extends Error {}

const state = { scenario: '' };
export function runAs(scenario: string): void {
  state.scenario = scenario;
}

export default {
  scenario: {
    get name() {
      return state.scenario;
    },
  },
  test: {
    abort(reason?: string): never {
      throw new TestAborted(reason ?? 'aborted');
    },
  },
};
