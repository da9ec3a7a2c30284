import { healthyDrill } from './lib/healthy-drill.ts';

export default healthyDrill('error');
