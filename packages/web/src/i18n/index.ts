/**
 * The dashboard's two languages: zh-CN (default, WeChat's own words) and English, switched at run
 * time and remembered in localStorage. `t(key, vars)` reads the active dictionary; every key exists
 * in both (the English dictionary is typed against the Chinese one).
 */
import { ref } from 'vue';
import { en } from './en';
import { zh } from './zh';

export type Locale = 'zh-CN' | 'en';
export type MessageKey = keyof typeof zh;

const STORAGE_KEY = 'miniscope.locale';
const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);

export const locale = ref<Locale>(saved === 'en' ? 'en' : 'zh-CN');

export function setLocale(next: Locale): void {
  locale.value = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
}

/** The message for `key`, with `{name}` placeholders filled from `vars`. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text = (locale.value === 'en' ? en : zh)[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/** Whether a message key exists (for keys built from ids, e.g. metric names). */
export function hasKey(key: string): key is MessageKey {
  return Object.hasOwn(zh, key);
}
