import type { FalconResource } from '../shared/engine/types';
import { host } from './host';

export const hostResources: FalconResource[] = [host];
