// The simulator is a dev tool, not node code: it needs Node's http server. All node:http/net use goes through here.
export { createServer } from 'node:http';
export type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
export type { AddressInfo, Socket } from 'node:net';
