// Marker files record what was installed, so a later run can reuse it or notice that a pinned version changed.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');

function readMarker(file) {
	if (!existsSync(file)) return undefined;
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function markerMatches(file, expected) {
	const found = readMarker(file);
	return (
		found !== undefined && Object.entries(expected).every(([key, value]) => found[key] === value)
	);
}

function writeMarker(file, content) {
	writeFileSync(
		file,
		JSON.stringify({ ...content, installedAt: new Date().toISOString() }, null, 2) + '\n',
	);
}

module.exports = { markerMatches, writeMarker };
