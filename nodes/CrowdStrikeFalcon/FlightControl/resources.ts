import type { FalconResource } from '../shared/engine/types';
import { child } from './child';

export const flightControlResources: FalconResource[] = [child];
