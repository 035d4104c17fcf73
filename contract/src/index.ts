// The contract between client and server: what both sides must agree on, in one place.
export * from './roles.ts';
export * from './kinds.ts';
export * from './errors.ts';
export * from './cases.ts';
export * from './kpis.ts';
