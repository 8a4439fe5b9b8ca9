// The ready-made workflows in examples/, with every Falcon node pointed at a given credential.
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { projectRoot } = require('./runtime-paths');
const { CREDENTIAL_TYPE } = require('./falcon-credential');

const examplesDir = join(projectRoot, 'examples');

/** Examples ship with a placeholder credential reference; `credential` is { id, name } of an imported one. */
function exampleWorkflows(credential) {
	if (!existsSync(examplesDir)) return [];
	return readdirSync(examplesDir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(readFileSync(join(examplesDir, file), 'utf8'));
			for (const node of workflow.nodes ?? []) {
				if (node.credentials?.[CREDENTIAL_TYPE])
					node.credentials[CREDENTIAL_TYPE] = { id: credential.id, name: credential.name };
			}
			return { active: false, settings: {}, ...workflow };
		});
}

module.exports = { exampleWorkflows };
