// What differs between the n8n major versions the runtime scripts drive (see README "Compatibility").
/** `n8nVersion` like "1.123.81"; throws for a major these scripts do not know. */
function featuresOf(n8nVersion) {
	const major = Number(n8nVersion.split('.')[0]);
	if (major === 2) {
		return {
			major,
			npmOverrides: {},
			// N8N_INSTANCE_OWNER_* create the owner at start; 1.x ignores them and shows its setup screen.
			ownerFromEnvironment: true,
			activateArgs: (id) => ['publish:workflow', `--id=${id}`],
		};
	}
	if (major === 1) {
		return {
			major,
			// n8n-nodes-base 1.x pins xlsx to a tarball on cdn.sheetjs.com, which an offline install cannot reach;
			// the registry's last xlsx stands in (only the spreadsheet nodes use it).
			npmOverrides: { xlsx: '0.18.5' },
			ownerFromEnvironment: false,
			activateArgs: (id) => ['update:workflow', `--id=${id}`, '--active=true'],
		};
	}
	throw new Error(`n8n ${n8nVersion}: only n8n 1.x and 2.x are supported`);
}

module.exports = { featuresOf };
