import { ApiError, bodyObject, type ApiRequest } from './request';
import type { Route } from './router';
import { defaultFaults, type FaultConfig } from './faults';
import type { Reply } from './envelope';

export interface ControlTarget {
	setFaults(f: Partial<FaultConfig>): void;
	faults(): FaultConfig;
	injectEvent(e: { eventType: string; event?: object; partition?: number; cid?: string }): {
		partition: number;
		offset: number;
		compositeId?: string;
		agentId?: string;
	};
	state(): unknown;
	reset(): void;
}

const json = (body: unknown, status = 200): Reply => ({ status, body });

/** `/_simulator/*`: test and demo controls. Not part of the Falcon API. */
export function controlRoutes(target: ControlTarget): Route[] {
	return [
		{ method: 'GET', path: '/_simulator/state', auth: 'none', handler: () => json(target.state()) },
		{ method: 'GET', path: '/_simulator/faults', auth: 'none', handler: () => json(target.faults()) },
		{
			method: 'POST',
			path: '/_simulator/faults',
			auth: 'none',
			handler: (req: ApiRequest) => {
				const patch = bodyObject(req);
				const unknown = Object.keys(patch).filter((key) => !(key in defaultFaults()));
				if (unknown.length > 0) throw new ApiError(400, `unknown fault knob(s): ${unknown.join(', ')}`);
				target.setFaults(patch as Partial<FaultConfig>);
				return json(target.faults());
			},
		},
		{
			method: 'POST',
			path: '/_simulator/reset',
			auth: 'none',
			handler: () => {
				target.reset();
				return json({ reset: true });
			},
		},
		{
			method: 'POST',
			path: '/_simulator/events',
			auth: 'none',
			handler: (req: ApiRequest) => {
				const body = bodyObject(req);
				if (typeof body.eventType !== 'string' || body.eventType === '') throw new ApiError(400, "'eventType' is required");
				if (body.partition !== undefined && typeof body.partition !== 'number') throw new ApiError(400, "'partition' must be a number");
				if (body.event !== undefined && (typeof body.event !== 'object' || body.event === null)) {
					throw new ApiError(400, "'event' must be an object");
				}
				if (body.cid !== undefined && typeof body.cid !== 'string') throw new ApiError(400, "'cid' must be a string");
				const placed = target.injectEvent({
					eventType: body.eventType,
					event: body.event as object | undefined,
					partition: body.partition as number | undefined,
					cid: body.cid as string | undefined,
				});
				return json(placed, 201);
			},
		},
	];
}
