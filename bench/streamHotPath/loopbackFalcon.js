// A Falcon API reduced to what the stream trigger needs (token, discovery, refresh, feed), run in its own process
// so the bytes it writes cost the measured process nothing. The feed is endless: from the requested offset it
// writes events built from fixed templates, as fast as the reader takes them (never faster: it waits for 'drain').
//
// Started by streamHotPath.bench.ts with `fork`; argv[2] is a JSON file of templates ([before, after] text around
// the offset). Sends `{ port }` once listening.
'use strict';

const fs = require('node:fs');
const http = require('node:http');

const templates = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const PARTITIONS = 1;
const CHUNK_BYTES = 64 * 1024;

function json(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
	res.end(text);
}

function envelope(resources) {
	return { meta: { query_time: 0.001, powered_by: 'bench', trace_id: 'bench' }, resources, errors: [] };
}

const parts = templates.map(([before, after]) => [Buffer.from(before), Buffer.from(`${after}\n`)]);
const longestLine = Math.max(...parts.map(([before, after]) => before.length + after.length)) + 20;

/** The feed's bytes from `offset` on, the same for every reader: the line of offset N is always template N mod T. */
function* chunksFrom(offset) {
	for (let next = offset; ; ) {
		// A fresh buffer per chunk: the socket may still hold the previous one.
		const chunk = Buffer.allocUnsafe(CHUNK_BYTES + longestLine);
		let at = 0;
		while (at < CHUNK_BYTES) {
			const [before, after] = parts[next % parts.length];
			at += before.copy(chunk, at);
			at += chunk.write(String(next), at, 'latin1');
			at += after.copy(chunk, at);
			next++;
		}
		yield chunk.subarray(0, at);
	}
}

function streamFeed(req, res, url) {
	res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
	const chunks = chunksFrom(Number(url.searchParams.get('offset') ?? 0));
	let closed = false;
	res.on('close', () => (closed = true));
	const pump = () => {
		while (!closed) {
			if (!res.write(chunks.next().value)) return res.once('drain', pump);
		}
	};
	pump();
}

const server = http.createServer((req, res) => {
	const url = new URL(req.url, 'http://127.0.0.1');
	req.resume();
	if (req.method === 'POST' && url.pathname === '/oauth2/token') {
		res.setHeader('X-CS-Region', 'us-1');
		return json(res, 201, { access_token: 'bench-token', token_type: 'bearer', expires_in: 1799 });
	}
	if (req.method === 'GET' && url.pathname === '/sensors/entities/datafeed/v2') {
		const base = `http://127.0.0.1:${server.address().port}`;
		const appId = encodeURIComponent(url.searchParams.get('appId') ?? '');
		const resources = Array.from({ length: PARTITIONS }, (_, partition) => ({
			dataFeedURL: `${base}/sensors/entities/datafeed/v1/${partition}?appId=${appId}`,
			sessionToken: { token: `bench-session-${partition}`, expiration: new Date(Date.now() + 1800e3).toISOString() },
			refreshActiveSessionURL: `${base}/sensors/entities/datafeed-actions/v1/${partition}?appId=${appId}&action_name=refresh_active_stream_session`,
			refreshActiveSessionInterval: 1800,
		}));
		return json(res, 200, envelope(resources));
	}
	if (req.method === 'POST' && url.pathname.startsWith('/sensors/entities/datafeed-actions/v1/')) {
		return json(res, 200, envelope([]));
	}
	if (req.method === 'GET' && url.pathname.startsWith('/sensors/entities/datafeed/v1/')) {
		return streamFeed(req, res, url);
	}
	json(res, 404, { errors: [{ code: 404, message: 'not found' }] });
});

server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
