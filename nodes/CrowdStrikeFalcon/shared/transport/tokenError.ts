import type { FalconCloud } from './clouds';
import type { FalconError } from './envelope';

/**
 * No token: Falcon would not issue one, its endpoint could not be reached, or the credential's settings cannot ask for
 * one. Carries Falcon's answer only: never the request, so never the secret.
 */
export class FalconTokenError extends Error {
	constructor(
		message: string,
		// Not `statusCode`: n8n replaces the message of errors carrying a 401 statusCode with its generic text.
		readonly falconStatus?: number,
		readonly errors: FalconError[] = [],
		readonly traceId?: string,
	) {
		super(message);
	}

	/** No answer came: the endpoint could not be reached. */
	unreachable = false;
	/** A dropped connection worth trying again. */
	retryable = false;
	/** The cloud Falcon places the client in (a redirect's `X-CS-Region`, or a token's): another than the one asked. */
	homeCloud?: FalconCloud;
	/** What to check, where the caller's own advice (the Client ID, the Member CID) would mislead. */
	advice?: string;

	/**
	 * The failure concerns the API client (a wrong secret: Falcon says "client authentication") or the sender's address
	 * (a 429: the token endpoint's budget is per address), whichever child the token was asked for.
	 */
	get concernsClient(): boolean {
		return (
			this.falconStatus === 429 ||
			this.homeCloud !== undefined ||
			this.errors.some((entry) => /client authentication|invalid client/i.test(entry.message ?? ''))
		);
	}
}
