// `npm run images`: builds the containers stack's images from Debian's archive (cached by inputs).
import { buildImages } from '../src/stack/containers/images.ts';
import { describeError } from '../src/errors.ts';

const started = Date.now();
try {
  const outcomes = await buildImages((line) => console.log(`images: ${line}`));
  const built = outcomes.filter((o) => o.built);
  console.log(`images: ${built.length} built, ${outcomes.length - built.length} up to date, in ${((Date.now() - started) / 1000).toFixed(1)}s`);
} catch (error) {
  console.error(`firedrill images: ${describeError(error)}`);
  process.exitCode = 2;
}
