// The projects whose services run in containers from their team's own compose file (Bot-Core and
// the compose shop), the copies of them with an alert or a route broken, and what a firedrill
// run's compose projects left behind.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_LABEL } from '../src/stack/containers/compose-projects.ts';
import { editedCopy, type ProjectCopy } from './project-copy.ts';

export const BOTCORE = path.resolve('fixtures/botcore');
export const COMPOSE_SHOP = path.resolve('fixtures/compose-shop');

/** A copy of Bot-Core whose PagerDuty route no longer continues to Email and Slack. */
export const brokenBotcore = (): ProjectCopy =>
  editedCopy(BOTCORE, [
    { file: 'alertmanager.yml', from: "      receiver: 'pagerduty'\n      continue: true\n", to: "      receiver: 'pagerduty'\n" },
    // Its compose file mounts the repository two levels up, as the original does.
    { file: 'docker-compose.yml', from: "'../..:/repo'", to: `'${path.resolve('.')}:/repo'` },
  ]);

/** ShopDown as the compose shop writes it, and as its broken copy makes it unable to fire. */
export const SHOP_DOWN = { sound: 'expr: up{job="shop"} == 0', broken: 'expr: up{job="shop"} == 2' } as const;

/** A copy of the compose shop whose ShopDown can no longer fire. */
export const brokenComposeShop = (): ProjectCopy => editedCopy(COMPOSE_SHOP, [{ file: 'alerts.yml', from: SHOP_DOWN.sound, to: SHOP_DOWN.broken }]);

/** What is left, running or not, of the compose projects a firedrill process brought up: containers and networks. */
export const leftBehind = (pid: number): string[] =>
  ['ps --all', 'network ls'].flatMap((what) =>
    spawnSync('docker', [...what.split(' '), '--filter', `label=${PROJECT_LABEL}`, '--format', `{{.Label "${PROJECT_LABEL}"}}`], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((project) => new RegExp(`^firedrill-[a-z0-9]+-${pid}-\\d+$`).test(project)),
  );
