import type { FalconResource } from '../shared/engine/types';
import { alert } from './alert';

export const alertResources: FalconResource[] = [alert];
