import { expect } from 'vitest';
import { firedrillMatchers } from '../src/expect/matchers.ts';

expect.extend(firedrillMatchers);
