/**
 * The input item an execute context is working on, for requests that do not name one (e.g. the stream discovery
 * a Read Events item makes). The router runs items one after another, so one value per context is enough.
 */
const currentItems = new WeakMap<object, number>();

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
