import { useFalconN8n } from './harness/falcon-n8n-suite';

// The editor's "Test" button: POST /rest/credentials/test with the stored credential, as the UI sends it
// (secrets redacted by GET /rest/credentials/:id, restored by n8n on the server).

interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

const suite = useFalconN8n('credential-test', { server: true });

async function testStoredCredential(id: string) {
	const credential = await suite.rest.get<StoredCredential>(`/credentials/${id}?includeData=true`);
	const { name, type, data } = credential;
	return await suite.rest.post<{ status: string; message: string }>('/credentials/test', {
		credentials: { id, name, type, data },
	});
}

test('the simulator credential passes', async () => {
	expect(await testStoredCredential(suite.credential.id)).toEqual({
		status: 'OK',
		message: expect.any(String),
	});
});

test("a wrong secret fails with Falcon's message and without the secret", async () => {
	const result = await testStoredCredential(suite.badSecretCredential.id);
	expect(result.status).toBe('Error');
	expect(result.message).toContain(await suite.falcon.tokenErrorMessage(suite.badSecret));
	expect(JSON.stringify(result)).not.toContain(suite.badSecret);
});

test('the stored secret is redacted in what the editor receives', async () => {
	const credential = await suite.rest.get<StoredCredential>(
		`/credentials/${suite.badSecretCredential.id}?includeData=true`,
	);
	expect(JSON.stringify(credential)).not.toContain(suite.badSecret);
});
