/** A versioned step of the event store's schema (store/migrations.ts applies them in order, once each). */
export interface Migration {
  version: number;
  name: string;
  statements: (timeZone: string) => string[];
}
