import type { FalconResource } from '../../shared/engine/types';
import { execute } from './execute.operation';
import { executeActiveResponder } from './executeActiveResponder.operation';
import { getActiveResponderStatus } from './getActiveResponderStatus.operation';
import { getStatus } from './getStatus.operation';
import { runAndWait } from './runAndWait.operation';

export const command: FalconResource = {
	value: 'command',
	name: 'Command',
	defaultOperation: 'runAndWait',
	operations: [runAndWait, execute, executeActiveResponder, getStatus, getActiveResponderStatus],
};
