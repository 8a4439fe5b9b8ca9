// Jest's own order for the e2e suites, except that the secret scan runs after all of them: it reads the n8n folders
// the other suites leave under test-output/e2e. Wired with `testSequencer` in jest.e2e.config.js.
const Sequencer = require('@jest/test-sequencer').default;

const LAST = /secretScan\.test\.ts$/;

class ScanLastSequencer extends Sequencer {
	async sort(tests) {
		const sorted = await super.sort(tests);
		return [...sorted.filter((test) => !LAST.test(test.path)), ...sorted.filter((test) => LAST.test(test.path))];
	}
}

module.exports = ScanLastSequencer;
