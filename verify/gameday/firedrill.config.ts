// A small system for the game-day tests (verify/game-day.test.ts): `firedrill up --scale 1` runs
// it as the staging stand-in, and the external block (present when the test sets its URLs)
// points a game day at that stand-in, a stack the game day did not start.
import { defineConfig } from '../../src/index.ts';

const env = process.env;

export default defineConfig({
  systems: {
    gameday: {
      prometheus: 'prometheus.yml',
      alertmanager: 'alertmanager.yml',
      services: { api: { command: ['node', 'service.mjs'], job: 'gameday-api', faultPath: null } },
      ...(env.GAMEDAY_PROMETHEUS
        ? {
            external: {
              prometheus: env.GAMEDAY_PROMETHEUS,
              alertmanager: env.GAMEDAY_ALERTMANAGER!,
              services: { api: env.GAMEDAY_API! },
              ...(env.GAMEDAY_FAULTS ? { faults: { controller: env.GAMEDAY_FAULTS, tokenEnv: 'GAMEDAY_FAULT_TOKEN' } } : {}),
              allow: (env.GAMEDAY_ALLOW ?? `${env.GAMEDAY_API},${env.GAMEDAY_FAULTS}`).split(','),
              abortWhen: env.GAMEDAY_ABORT_WHEN ? [{ name: 'API too quiet', expr: env.GAMEDAY_ABORT_WHEN }] : [],
              maxDuration: env.GAMEDAY_MAX_DURATION ?? '5m',
              ...(env.GAMEDAY_WEBHOOK ? { webhook: { listen: env.GAMEDAY_WEBHOOK } } : {}),
            },
          }
        : {}),
    },
  },
  scenarios: env.GAMEDAY_SCENARIOS ?? 'scenarios',
});
