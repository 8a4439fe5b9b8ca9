import type { FalconResource } from '../../shared/engine/types';
import { execute } from './execute.operation';
import { executeActiveResponder } from './executeActiveResponder.operation';
import { getFile } from './getFile.operation';
import { getFileStatus } from './getFileStatus.operation';
import { refresh } from './refresh.operation';
import { runOnHosts } from './runOnHosts.operation';
import { start } from './start.operation';

export const batch: FalconResource = {
	value: 'batch',
	name: 'Batch',
	defaultOperation: 'runOnHosts',
	operations: [runOnHosts, start, refresh, execute, executeActiveResponder, getFile, getFileStatus],
};
