import type { FalconResource } from '../../shared/engine/types';
import { deleteFile } from './delete.operation';
import { deleteFileV1 } from './deleteV1.operation';
import { download } from './download.operation';
import { getAll } from './getAll.operation';
import { getAllV1 } from './getAllV1.operation';
import { getFromHosts } from './getFromHosts.operation';

export const file: FalconResource = {
	value: 'file',
	name: 'File',
	defaultOperation: 'getFromHosts',
	operations: [getFromHosts, download, getAll, getAllV1, deleteFile, deleteFileV1],
};
