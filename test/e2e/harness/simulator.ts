import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../simulator';

export type { RunningSimulator, SimulatorOptions };

export const CREDENTIAL_TYPE = 'crowdStrikeFalconOAuth2Api';

export interface CredentialRef {
	id: string;
	name: string;
}

/** The simulator runs inside the jest process, so tests can read and steer its state directly. */
export async function startTestSimulator(
	options: SimulatorOptions = {},
): Promise<RunningSimulator> {
	return await startSimulator({ port: 0, ...options });
}

/** A credential entity for `n8n import:credentials`, pointing at the simulator ("Custom URL" cloud). */
export function simulatorCredential(
	simulator: RunningSimulator,
	ref: CredentialRef,
	overrides: { clientSecret?: string } = {},
) {
	return {
		...ref,
		type: CREDENTIAL_TYPE,
		data: {
			cloud: 'custom',
			baseUrl: simulator.url,
			clientId: simulator.clientId,
			clientSecret: overrides.clientSecret ?? simulator.clientSecret,
			memberCid: '',
			accessToken: '',
			apiBaseUrl: '',
		},
	};
}
