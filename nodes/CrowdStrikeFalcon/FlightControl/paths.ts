/** Falcon Flight Control (MSSP) paths; both need the parent client's 'Flight Control: Read' scope (`mssp:read`). */
export const flightControlPaths = {
	childrenQuery: '/mssp/queries/children/v1',
	children: '/mssp/entities/children/v1',
} as const;

export const FLIGHT_CONTROL_READ = 'Flight Control: Read';
