// The contract between client and server: what both sides must agree on, in one place.
export * from './roles.ts';
export * from './kinds.ts';
export * from './errors.ts';
export * from './households-binary.ts';
export * from './api/query.ts';
export * from './api/session.ts';
export * from './api/geography.ts';
export * from './api/community.ts';
export * from './api/audit.ts';
export * from './api/departments.ts';
export * from './cases.ts';
export * from './client-config.ts';
export * from './plans.ts';
export * from './kpis.ts';
export * from './api/basemap.ts';
export * from './api/coverage.ts';
export * from './public-reports.ts';
