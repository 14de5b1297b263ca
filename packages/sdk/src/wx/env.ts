/**
 * The `wx` runtime behind the core's Env: wx.request as transport, wx storage, device facts from
 * getDeviceInfo/getWindowInfo/getAppBaseInfo (getSystemInfoSync on base libraries without them), the
 * network type, and the entry of the current open.
 */
import type { EnterOptions, Env, SendResult } from '../core/env.js';
import { cut } from '../core/util.js';
import type { CollectDevice } from '../protocol.js';

type Info = Partial<WechatMiniprogram.SystemInfo>;

const REQUEST_TIMEOUT_MS = 10000;

/** wx[name]() if this base library has it; undefined if not, or if it throws. */
function call<T>(name: string): T | undefined {
  try {
    const fn = (wx as unknown as Record<string, unknown>)[name];
    return typeof fn === 'function' ? (fn.call(wx) as T) : undefined;
  } catch {
    return undefined;
  }
}

const text = (value: unknown, max: number) => (value == null ? undefined : cut(value, max));

function readDevice(): CollectDevice {
  const device = call<Info>('getDeviceInfo');
  const info: Info = device
    ? Object.assign({}, device, call('getWindowInfo'), call('getAppBaseInfo'))
    : call<Info>('getSystemInfoSync') || {};
  return {
    brand: text(info.brand, 64),
    model: text(info.model, 64),
    platform: text(info.platform, 32)?.toLowerCase(),
    system: text(info.system, 64),
    wechat: text(info.version, 32),
    baselib: text(info.SDKVersion, 32),
    screen: info.screenWidth ? [Math.round(info.screenWidth), Math.round(info.screenHeight || 0)] : undefined,
    language: text(info.language, 16),
  };
}

/** Retry-After in seconds, from either form the header may take (seconds or an HTTP date). */
function retryAfter(header: Record<string, unknown> | undefined): number | undefined {
  for (const key in header) {
    if (key.toLowerCase() !== 'retry-after') continue;
    const value = String(header[key]);
    const seconds = /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
    return seconds >= 0 ? seconds : undefined;
  }
  return undefined;
}

function send(url: string, body: string, done: (result: SendResult) => void): void {
  wx.request({
    url,
    method: 'POST',
    data: body,
    header: { 'content-type': 'application/json' },
    timeout: REQUEST_TIMEOUT_MS,
    success: (res) => done({ status: res.statusCode, retryAfter: retryAfter(res.header), body: res.data }),
    fail: () => done({ status: 0 }),
  });
}

export function wxEnv(): Env {
  const device = readDevice();
  let network = 'unknown';
  const setNetwork = (res: { networkType: string }) => {
    network = text(res.networkType, 16) || network;
  };
  if (typeof wx.getNetworkType === 'function') wx.getNetworkType({ success: setNetwork, fail() {} });
  if (typeof wx.onNetworkStatusChange === 'function') wx.onNetworkStatusChange(setNetwork);
  return {
    now: () => Date.now(),
    later: (fn, ms) => {
      setTimeout(fn, ms);
    },
    random: Math.random,
    storage: {
      get: (key) => wx.getStorageSync(key),
      // async, so that no lifecycle hook waits for storage; the fail callback keeps it from returning a rejected promise
      set: (key, data) => wx.setStorage({ key, data, fail() {} }),
    },
    send,
    device: () => ({ ...device, network }),
    enter: () => call<EnterOptions>('getEnterOptionsSync') || call<EnterOptions>('getLaunchOptionsSync') || {},
  };
}
