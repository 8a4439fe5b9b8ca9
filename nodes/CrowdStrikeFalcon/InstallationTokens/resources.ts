import type { FalconResource } from '../shared/engine/types';
import { auditEvent } from './auditEvent';
import { settings } from './settings';
import { token } from './token';

export const installationTokenResources: FalconResource[] = [token, auditEvent, settings];
