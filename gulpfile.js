// tsc emits only JavaScript; n8n also needs each node's icon and codex JSON next to the compiled node.
const { src, dest } = require('gulp');

function copyStaticFiles() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:static'] = copyStaticFiles;
