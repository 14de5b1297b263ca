/**
 * Who may change what in 自定义分析 (the server's rule, mirrored so the dashboard hides controls
 * it would refuse): event management and saving reports are for the app's admin and its 数据分析
 * members, not for authorized viewers; a saved report is changed by its author or the admin.
 * NOTE: a saved report names its author by display name only, so "mine" is judged by that; the
 * server checks the author's account and refuses anyone else (403), which is then said.
 */
import type { SavedReport } from '@miniscope/contract';
import { computed } from 'vue';
import { currentApp, session } from './session';

export const canChangeCustom = computed(
  () => currentApp.value?.role === 'admin' || currentApp.value?.role === 'analyst',
);

export function mayChangeReport(report: SavedReport): boolean {
  if (currentApp.value?.role === 'admin') return true;
  return canChangeCustom.value && report.created_by === session.user?.display_name;
}
