/**
 * The environment of the Go programs firedrill runs for a stack or a check (Prometheus,
 * Alertmanager, the exporters, promtool, amtool): one thread running Go code each. By default a Go
 * program runs as many as the machine has cores, and a pool runs a dozen of them at once on a
 * machine of two: their garbage collectors and idle threads then take CPU from the drills for no
 * gain, since each stack's Prometheus scrapes a few dozen series (measured: 8 drills with --jobs 4,
 * the Go programs' CPU 14.2 and 14.8 s by default, 11.6, 11.6 and 12.4 s with one). The users'
 * own services keep their environment as it is, and a GOMAXPROCS the user set wins (an empty one
 * counts as unset, as docker-compose's `${GOMAXPROCS:-1}` reads it in docker-compose.test.yml).
 * populate's promtool backfill keeps Go's default: it writes days of history with both cores.
 */
export function goProgramEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return env.GOMAXPROCS ? env : { ...env, GOMAXPROCS: '1' };
}
