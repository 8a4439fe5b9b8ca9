const { src, dest } = require('gulp');

// tsc emits only .js; node and credential icons (and the shared top-level icons/) must sit beside them in dist.
function buildIcons() {
	return src(['icons/**/*.{png,svg}', 'nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
