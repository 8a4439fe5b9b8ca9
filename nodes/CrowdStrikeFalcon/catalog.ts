import type { FalconResource } from './shared/engine/types';
import { alertResources } from './Alerts/resources';
import { eventStreamResources } from './EventStreams/resources';
import { flightControlResources } from './FlightControl/resources';
import { hostResources } from './Hosts/resources';
import { installationTokenResources } from './InstallationTokens/resources';
import { realTimeResponseResources } from './RealTimeResponse/resources';

/** Every action node's resources, by collection: read by `npm run ops` and the declaration table test. */
export const catalog: Record<string, FalconResource[]> = {
	Alerts: alertResources,
	'Event Streams': eventStreamResources,
	'Flight Control': flightControlResources,
	Hosts: hostResources,
	'Installation Tokens': installationTokenResources,
	'Real Time Response': realTimeResponseResources,
};
