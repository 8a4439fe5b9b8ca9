// Removes build output so a rebuilt dist never carries files whose sources were deleted.
const { rmSync } = require('node:fs');
const { join } = require('node:path');

for (const target of ['dist', 'tsconfig.tsbuildinfo']) {
	rmSync(join(__dirname, '..', target), { recursive: true, force: true });
}
