// Lets a plain `node` process require the project's TypeScript (`node -r ./transpileOnRequire.js file.ts`), compiled
// with the package's own compiler options as `npm run build` would, one file at a time and without type checks.
// The hot-path bench runs there rather than inside jest, whose vm sandbox makes every global lookup (Date, JSON,
// Number, Buffer, ...) cost a property interceptor: n8n runs the node's code in a plain context.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '../..');
const { config } = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
const compilerOptions = { ...options, sourceMap: false, inlineSourceMap: false, declaration: false, noEmit: false };

// Tried before `.json`: `Trigger/X.node` names the module X.node.ts, not its codex file X.node.json.
const { '.json': json, '.node': native } = require.extensions;
delete require.extensions['.json'];
delete require.extensions['.node'];
require.extensions['.ts'] = (module, filename) => {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
	module._compile(outputText, filename);
};
require.extensions['.json'] = json;
require.extensions['.node'] = native;
