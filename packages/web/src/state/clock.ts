/**
 * "Today" and "yesterday" in the deployment's calendar: reports end yesterday (WeChat's T+1), real
 * time shows today.
 * NOTE: the API does not say which time zone the deployment uses; the server's default is assumed.
 */
import { addDays, TIME_ZONE, todayIn } from '@/utils/dates';

export const today = (): string => todayIn(TIME_ZONE);
export const yesterday = (): string => addDays(today(), -1);
