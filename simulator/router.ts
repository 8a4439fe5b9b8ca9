import type { ApiRequest } from './request';
import type { HandlerResult } from './envelope';

export type Handler = (req: ApiRequest) => HandlerResult | Promise<HandlerResult>;

export interface Route {
	method: string;
	/** Path with `:name` segments, e.g. `/sensors/entities/datafeed/v1/:partition`. */
	path: string;
	/** `bearer`: OAuth2 access token required. `none`: the handler authenticates (token, revoke, feed). */
	auth: 'bearer' | 'none';
	handler: Handler;
}

interface CompiledRoute extends Route {
	pattern: RegExp;
	names: string[];
}

export class Router {
	private readonly routes: CompiledRoute[];

	constructor(routes: Route[]) {
		this.routes = routes.map((route) => {
			const names: string[] = [];
			const source = route.path
				.split('/')
				.map((segment) => {
					if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
					names.push(segment.slice(1));
					return '([^/]+)';
				})
				.join('/');
			return { ...route, pattern: new RegExp(`^${source}/?$`), names };
		});
	}

	/** The route for this request, `undefined` for an unknown path, or `'method'` when only the method is wrong. */
	match(method: string, path: string): { route: Route; params: Record<string, string> } | 'method' | undefined {
		let pathKnown = false;
		for (const route of this.routes) {
			const m = route.pattern.exec(path);
			if (!m) continue;
			pathKnown = true;
			if (route.method !== method) continue;
			const params: Record<string, string> = {};
			route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
			return { route, params };
		}
		return pathKnown ? 'method' : undefined;
	}
}
