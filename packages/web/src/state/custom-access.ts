/**
 * Who may change what in 自定义分析 (the server's rule, mirrored so the dashboard hides controls
 * it would refuse): event management and saving reports are for the app's admin and its 数据分析
 * members, not for authorized viewers; a saved report is changed by its author or the admin, which
 * the server says per report and caller (`can_change`).
 */
import type { SavedReport } from '@miniscope/contract';
import { computed } from 'vue';
import { currentApp } from './session';

export const canChangeCustom = computed(
  () => currentApp.value?.role === 'admin' || currentApp.value?.role === 'analyst',
);

export const mayChangeReport = (report: SavedReport): boolean => report.can_change;
