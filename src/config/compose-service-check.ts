import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { badInput } from '../errors.ts';
import type { ComposeServiceConfig } from './define-config.ts';

/** A compose file as firedrill reads it: only what it needs to run one service in isolation. */
export interface ComposeDocument {
  readonly version?: string;
  readonly services?: Record<string, Record<string, unknown> | null>;
  readonly volumes?: Record<string, unknown>;
  readonly networks?: Record<string, unknown>;
}

export function readComposeDocument(file: string, where: string): ComposeDocument {
  try {
    // Merge keys (`<<: *anchor`) are YAML 1.1, which docker-compose reads: resolve them as it does.
    const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeDocument | null;
    if (!doc || typeof doc !== 'object') throw new Error('not a YAML mapping');
    return doc;
  } catch (error) {
    throw badInput(`${where}.file: ${path.basename(file)} is not a compose file firedrill can read (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
}

/**
 * Before anything starts: the service exists in the file, and can run once per stack (no fixed
 * container name, no host networking: many stacks run it at once, each on its own port).
 */
export function checkComposeService(compose: ComposeServiceConfig, where: string): void {
  const doc = readComposeDocument(compose.file, where);
  const services = Object.keys(doc.services ?? {});
  const definition = doc.services?.[compose.service];
  if (definition === undefined) throw badInput(`${where}.service: no service '${compose.service}' in ${path.basename(compose.file)}; it has: ${services.join(', ') || 'none'}`);
  if (definition?.network_mode === 'host') {
    throw badInput(`${where}.service: '${compose.service}' uses network_mode: host, so every stack's copy would take the same port; give it a bridge network (firedrill publishes compose.port on a free port of 127.0.0.1)`);
  }
}
