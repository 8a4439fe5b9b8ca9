import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../simulator';

export type { RunningSimulator, SimulatorOptions };
export {
	CREDENTIAL_TYPE,
	simulatorCredential,
	type CredentialRef,
} from '../../../scripts/runtime/n8n-instance';

/** The simulator runs inside the jest process, so tests can read and steer its state directly. */
export async function startTestSimulator(
	options: SimulatorOptions = {},
): Promise<RunningSimulator> {
	return await startSimulator({ port: 0, ...options });
}
