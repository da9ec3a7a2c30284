// `firedrill/vitest`: the alert matchers for a Vitest suite, apart from the main entry so that
// projects without Vitest never see its types. Register with `expect.extend(firedrillMatchers)`.
export { firedrillMatchers } from './expect/matchers.ts';
