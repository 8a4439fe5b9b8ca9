/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code reads the README and writes the table to paste */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { catalog } from '../../../nodes/CrowdStrikeFalcon/catalog';

// The README's per-operation table of API scopes and retries is derived from the declarations: it cannot drift.
// On a mismatch, the expected table is written to test-output/readme-operations-table.md: paste it into the README
// under "## API scopes and retries, per operation".

function expectedTable(): string {
	const rows = Object.entries(catalog).flatMap(([node, resources]) =>
		resources.flatMap((resource) =>
			[...resource.operations]
				.sort((a, b) => a.name.localeCompare(b.name))
				.map((operation) =>
					[
						node,
						`${resource.name} → ${operation.name}`,
						`\`${operation.operationId}\``,
						operation.scopes.join(', '),
						operation.idempotent ? 'yes' : 'no',
					].join(' | '),
				),
		),
	);
	return [
		'| Node | Resource → Operation | Falcon operation | API scopes | Repeated after a 5xx |',
		'| --- | --- | --- | --- | --- |',
		...rows.map((row) => `| ${row} |`),
	].join('\n');
}

test('the README lists every operation with the scopes and retry rule its declaration states', () => {
	const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
	const table = expectedTable();
	if (!readme.includes(table)) {
		const folder = join(__dirname, '../../../test-output');
		mkdirSync(folder, { recursive: true });
		writeFileSync(join(folder, 'readme-operations-table.md'), `${table}\n`);
	}
	expect(readme.includes(table)).toBe(true);
});

test('every declaration states its scopes and whether it is repeated', () => {
	for (const resources of Object.values(catalog)) {
		for (const operation of resources.flatMap((resource) => resource.operations)) {
			expect(typeof operation.idempotent).toBe('boolean');
			expect(operation.scopes.length).toBeGreaterThan(0);
			for (const scope of operation.scopes) expect(scope).toMatch(/^[A-Z][A-Za-z ]+: (Read|Write)( \(.+\))?$/);
			// Commands, containment and creations act again when repeated.
			if (/Cmd$|Command$|PerformAction|_create$/.test(operation.operationId)) expect(operation.idempotent).toBe(false);
		}
	}
});
