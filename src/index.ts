// Public API of firedrill: what a firedrill.config.ts and scenario files import, by name.
// Everything else runs through the CLI (`npx firedrill`); Vitest matchers are in `firedrill/vitest`.
export { defineConfig } from './config/define-config.ts';
export type {
  DependencyConfig,
  ExporterConfig,
  FiredrillConfig,
  HostConfig,
  HttpDependency,
  PostgresDependency,
  RedisDependency,
  ServiceConfig,
  SystemConfig,
  TcpDependency,
} from './config/define-config.ts';
export { defineScenario } from './scenario/define-scenario.ts';
export type { Scenario, FaultStep } from './scenario/define-scenario.ts';
export { fault } from './faults/fault-spec.ts';
export type { FaultSpec } from './faults/fault-spec.ts';
export { expectAlert } from './expect/expectation.ts';
export type { Expectation } from './expect/expectation.ts';
export type { TrafficStream, RequestSpec, RampStage } from './engine/traffic.ts';
export type { AlertTrace } from './observe/alert-trace.ts';
export type { RunResult, ScenarioResult } from './report/run-result.ts';
export { FiredrillError } from './errors.ts';
