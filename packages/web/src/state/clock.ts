/**
 * "Today" and "yesterday" in the deployment's calendar: reports end yesterday (WeChat's T+1), real
 * time shows today. The server says which time zone it keeps and what day it is there
 * (`GET /api/auth/me`); the browser's clock then moves the day on at midnight in that zone.
 */
import { addDays, daysBetween, todayIn } from '@miniscope/contract';
import { reactive } from 'vue';
import { minuteOfDay as minuteIn } from '@/utils/dates';

/** Used only until the server has answered (the server's default zone). */
const FALLBACK_TIME_ZONE = 'Asia/Shanghai';

const calendar = reactive({
  timeZone: FALLBACK_TIME_ZONE,
  /** Days the server's today is ahead of the browser's clock read in that zone (a wrong clock). */
  shift: 0,
});

/** Take the server's calendar: its time zone and its today. */
export function setCalendar(timeZone: string, serverToday: string, now = Date.now()): void {
  let local: string;
  try {
    local = todayIn(timeZone, now);
  } catch {
    return; // NOTE: a zone this browser does not know; keep the fallback.
  }
  calendar.timeZone = timeZone;
  calendar.shift = daysBetween(local, serverToday);
}

export const timeZone = (): string => calendar.timeZone;
export const today = (): string => addDays(todayIn(calendar.timeZone, Date.now()), calendar.shift);
export const yesterday = (): string => addDays(today(), -1);
/** Minutes since midnight now, in the deployment's calendar. */
export const minuteOfDay = (): number => minuteIn(calendar.timeZone);
