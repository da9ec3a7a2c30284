import { besideFault } from './lib/beside-fault.ts';

export default besideFault('block-once');
