import type { FalconResource } from '../shared/engine/types';
import { batch } from './batch';
import { command } from './command';
import { file } from './file';
import { queuedCommand } from './queuedCommand';
import { session } from './session';

/** Command first, the resource the node opens on: Run and Wait is what most playbooks need. */
export const realTimeResponseResources: FalconResource[] = [command, batch, file, session, queuedCommand];
