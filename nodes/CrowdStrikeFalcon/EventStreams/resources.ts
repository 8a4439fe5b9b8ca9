import type { FalconResource } from '../shared/engine/types';
import { event } from './event';
import { stream } from './stream';

export const eventStreamResources: FalconResource[] = [event, stream];
