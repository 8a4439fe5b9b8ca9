// Prints, one per line, the Falcon operation ids the package implements, read from the declarations the nodes use.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const catalogPath = join(__dirname, '..', 'dist', 'nodes', 'CrowdStrikeFalcon', 'catalog.js');
if (!existsSync(catalogPath)) {
	console.error('dist/ is missing: run `npm run build` first (`npm run ops` does it for you).');
	process.exit(1);
}
const { catalog } = require(catalogPath);
const ids = new Set();
for (const resources of Object.values(catalog)) {
	for (const resource of resources) {
		for (const operation of resource.operations) {
			if (operation.operationId) ids.add(operation.operationId);
		}
	}
}
for (const id of ids) console.log(id);
