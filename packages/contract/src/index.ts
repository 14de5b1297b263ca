/** Wire contracts shared by the server, the SDK and the dashboard. */
export * from './accounts.js';
export * from './calendar.js';
export * from './collect.js';
export * from './csv.js';
export * from './custom.js';
export * from './dashboard.js';
export * from './errors.js';
export * from './metrics.js';
export * from './sdk-manifest.js';
