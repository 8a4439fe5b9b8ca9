// The package's credential as n8n's import command wants it, pointed at a Falcon simulator ("Custom URL" cloud).
const CREDENTIAL_TYPE = 'crowdStrikeFalconOAuth2Api';

/** `simulator` is what startSimulator() returns; `ref` is { id, name }; the hidden token fields start empty. */
function simulatorCredential(simulator, ref, { clientSecret = simulator.clientSecret } = {}) {
	return {
		id: ref.id,
		name: ref.name,
		type: CREDENTIAL_TYPE,
		data: {
			cloud: 'custom',
			baseUrl: simulator.url,
			clientId: simulator.clientId,
			clientSecret,
			memberCid: '',
			accessToken: '',
			apiBaseUrl: '',
		},
	};
}

module.exports = { CREDENTIAL_TYPE, simulatorCredential };
