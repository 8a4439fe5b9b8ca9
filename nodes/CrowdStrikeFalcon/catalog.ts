import type { FalconResource } from './shared/engine/types';
import { eventStreamResources } from './EventStreams/resources';
import { installationTokenResources } from './InstallationTokens/resources';
import { realTimeResponseResources } from './RealTimeResponse/resources';

/** Every action node's resources, by collection: read by `npm run ops` and the declaration table test. */
export const catalog: Record<string, FalconResource[]> = {
	'Event Streams': eventStreamResources,
	'Installation Tokens': installationTokenResources,
	'Real Time Response': realTimeResponseResources,
};
