/** The little of jsdom that simulate.test.ts uses (jsdom ships no types, and the SDK has no DOM lib). */
declare module 'jsdom' {
  export class JSDOM {
    constructor(html: string);
    window: {
      document: { createElement(tag: string): unknown };
      Event: unknown;
      CustomEvent: unknown;
    };
  }
}
