/**
 * The input item an execute context is working on, for requests that do not name one (e.g. the stream discovery
 * a Read Events item makes). The router runs items one after another, so one value per context is enough; work
 * that runs beside other work (one tenant of several) gets a context of its own, `separateScope`.
 */
const currentItems = new WeakMap<object, number>();
const rootContexts = new WeakMap<object, object>();

/** An object over `context` that behaves as it does, with an item scope of its own. */
export function separateScope<T extends object>(context: T): T {
	const separate = Object.create(context) as T;
	rootContexts.set(separate, rootContextOf(context));
	return separate;
}

/** The node's own context behind a separate scope, for what is kept per execution (a decrypted credential). */
export function rootContextOf(context: object): object {
	return rootContexts.get(context) ?? context;
}

export async function runForItem<T>(
	context: object,
	itemIndex: number,
	run: () => Promise<T>,
): Promise<T> {
	const outer = currentItems.get(context);
	currentItems.set(context, itemIndex);
	try {
		return await run();
	} finally {
		if (outer === undefined) currentItems.delete(context);
		else currentItems.set(context, outer);
	}
}

export function currentItemOf(context: object): number | undefined {
	return currentItems.get(context);
}
