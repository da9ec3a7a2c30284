import { badInput } from '../errors.ts';
import { containersStackProvider } from './containers/containers-stack.ts';
import { nativeStackProvider } from './native-stack.ts';
import type { StackProvider } from './stack-provider.ts';
import type { StackProviderName } from './started-stack.ts';

/** The provider `--stack` names; `prepare()` it before the first start. */
export function providerFor(request: StackProviderName): StackProvider {
  if (request === 'native') return nativeStackProvider;
  if (request === 'containers') return containersStackProvider();
  throw badInput(`--stack ${request}: only firedrill run drills a running stack (a game day: firedrill run --stack external); here use --stack native (local Prometheus and Alertmanager processes) or --stack containers (docker-compose.test.yml)`);
}
