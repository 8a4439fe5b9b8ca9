export { startSimulator } from './simulator';
export type { RunningSimulator, SimulatorState } from './simulator';
export type { SimulatorOptions } from './options';
export { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_SEED } from './options';
export type { FaultConfig, ServerErrorFault } from './faults';
export { buildFleet } from './rtr/fleet';
export type { FleetHost, Platform } from './rtr/fleet';
export type { RequestLogEntry } from './requestLog';
