// n8n's community-package scanner rules (the analyzePackage of @n8n/scan-community-package, which lints with inline
// eslint-disable comments ignored) on one folder. A separate process, since the scanner is an ES module and jest
// runs CommonJS. Usage: node scan.mjs <folder> <glob>... ; prints { passed, message, details } as JSON.
import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const [folder, ...patterns] = process.argv.slice(2);
const { passed, message, details } = await analyzePackage(folder, patterns);
process.stdout.write(JSON.stringify({ passed, message, details }));
