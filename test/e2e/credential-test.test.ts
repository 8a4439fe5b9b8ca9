import { useFalconN8n } from './harness/falcon-n8n-suite';

// The editor's "Test" button: POST /rest/credentials/test with the stored credential, as the UI sends it
// (secrets redacted by GET /rest/credentials/:id, restored by n8n on the server).

interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

// Children given: the simulator then refuses a token for a CID the client does not manage, as Falcon does.
const suite = useFalconN8n('credential-test', { server: true, simulator: { children: 2 } });

/** `edits` stand for what the user changed in the open credential before pressing Test. */
async function testStoredCredential(id: string, edits: Record<string, unknown> = {}) {
	const credential = await suite.rest.get<StoredCredential>(`/credentials/${id}?includeData=true`);
	const { name, type, data } = credential;
	return await suite.rest.post<{ status: string; message: string }>('/credentials/test', {
		credentials: { id, name, type, data: { ...data, ...edits } },
	});
}

test('the simulator credential passes', async () => {
	expect(await testStoredCredential(suite.credential.id)).toEqual({
		status: 'OK',
		message: expect.any(String),
	});
});

test('a Member CID of a child the client manages passes, with its console checksum too', async () => {
	const child = suite.simulator.children[0].cid;
	for (const memberCid of [child, `${child.toUpperCase()}-A1`]) {
		expect(await testStoredCredential(suite.credential.id, { memberCid })).toEqual({
			status: 'OK',
			message: expect.any(String),
		});
	}
	// Sent as nodes send it: lower case, without the checksum.
	expect(suite.simulator.state().memberCidsSeen).toEqual([child]);
});

test('a Member CID the client does not manage fails, saying where the children are listed', async () => {
	expect(await testStoredCredential(suite.credential.id, { memberCid: 'f'.repeat(32) })).toEqual({
		status: 'Error',
		message: expect.stringContaining('Flight Control > Child > Get Many'),
	});
});

test('a Member CID that is not a CID fails, naming the rule, and is not sent', async () => {
	const result = await testStoredCredential(suite.credential.id, { memberCid: 'child-tenant-1' });
	expect(result).toEqual({
		status: 'Error',
		message: expect.stringContaining("Member CID must be a CID of 32 hexadecimal characters"),
	});
	expect(result.message).not.toContain('child-tenant-1');
	expect(suite.simulator.state().memberCidsSeen).not.toContain('child-tenant-1');
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
