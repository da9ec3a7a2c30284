/**
 * Testcontainers, loaded when a containers stack first needs it: importing it costs about half a
 * CPU-second, which every firedrill command paid, native runs and `--help` included.
 */
export function testcontainers(): Promise<typeof import('testcontainers')> {
  return import('testcontainers');
}
