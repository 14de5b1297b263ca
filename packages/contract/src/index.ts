/** Wire contracts shared by the server, the SDK and the dashboard. */
export * from './collect.js';
export * from './errors.js';
