/**
 * Why a run could not do its job. `BAD_INPUT` and `ENVIRONMENT` map to exit code 2;
 * failed expectations are not errors (they are a verdict, exit code 1). `PORT_TAKEN`: another
 * process got a port between our check and our process's bind; a stack start retries on fresh ports.
 */
export type FiredrillErrorCode = 'BAD_INPUT' | 'ENVIRONMENT' | 'TIMEOUT' | 'PROCESS_EXITED' | 'PORT_TAKEN';

/** The one error type firedrill throws on purpose; its message is a single actionable line. */
export class FiredrillError extends Error {
  override readonly name = 'FiredrillError';

  constructor(
    readonly code: FiredrillErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function badInput(message: string): FiredrillError {
  return new FiredrillError('BAD_INPUT', message);
}

export function describeError(error: unknown): string {
  // By name, not instanceof: a user's config loads its own copy of firedrill (the package build), whose errors must read the same.
  if (error instanceof FiredrillError || (error instanceof Error && error.name === 'FiredrillError')) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
