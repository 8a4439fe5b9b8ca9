export * from './executeOperations';
export * from './parameters';
export * from './properties';
export * from './request';
export * from './rules';
export * from './runOperation';
export * from './types';
export * from './aiAgent';
