/**
 * The code a team pastes to connect a mini program (接入指南), with its AppID and this server's
 * address filled in: native (the single CommonJS file copied into the project), uni-app and Taro
 * (the npm package, or the ES-module file copied where npm is not used). Same calls as the SDK's
 * README.
 */

export type Framework = 'native' | 'uniapp' | 'taro';

export interface SnippetInput {
  appid: string;
  /** The server's origin as the browser reaches it, e.g. https://stats.example.com. */
  server: string;
}

/** A JavaScript string literal of `s` in single quotes. */
const str = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

/** The server's origin, without a trailing slash. */
export const serverOf = (origin: string) => origin.replace(/\/+$/, '');

/** The init() call's options, as the SDK takes them. */
const options = (input: SnippetInput, indent: string) =>
  `{\n${indent}  appid: ${str(input.appid)},\n${indent}  server: ${str(serverOf(input.server))},\n${indent}}`;

/** The entry file's code for `framework`: the file to edit and what goes at its top. */
export function initSnippet(framework: Framework, input: SnippetInput): { file: string; code: string } {
  if (framework === 'native')
    return {
      file: 'app.js',
      code: [
        "const miniscope = require('./libs/miniscope.js');",
        '',
        `miniscope.init(${options(input, '')});`,
        '',
        'App({',
        '  // …',
        '});',
      ].join('\n'),
    };
  if (framework === 'uniapp')
    return {
      file: 'src/main.js',
      code: [
        '// #ifdef MP-WEIXIN',
        "import { init } from '@miniscope/sdk';",
        '',
        `init(${options(input, '')});`,
        '// #endif',
        "import { createSSRApp } from 'vue';",
      ].join('\n'),
    };
  return {
    file: 'src/app.js',
    code: [
      "import { init } from '@miniscope/sdk';",
      '',
      "if (process.env.TARO_ENV === 'weapp') {",
      `  init(${options(input, '  ')});`,
      '}',
    ].join('\n'),
  };
}

/** A shell command that saves the SDK's file from this server into the project. */
export function downloadCommand(server: string, file: string, target: string): string {
  return `curl -f --create-dirs -o ${target} ${serverOf(server)}/sdk/${file}`;
}

/** Whether phones will send to this address: WeChat's request domains are HTTPS only. */
export function isHttps(server: string): boolean {
  return /^https:\/\//i.test(server);
}
