/**
 * Whether each app receives events (GET /api/apps/:appid/ingest-status), shared by the app's
 * frame — an app that never received one shows a link to its 接入指南 instead of empty reports —
 * and the guide, whose live check polls it until the first event arrives.
 */
import type { IngestStatus } from '@miniscope/contract';
import { reactive } from 'vue';
import { ingestStatusOf } from '@/api/dashboard';

export interface KnownStatus extends IngestStatus {
  /** The browser's clock minus the server's when it answered (to say "n s ago" in browser time). */
  skewMs: number;
}

/** By AppID; absent until asked. */
export const ingestStatus = reactive<Record<string, KnownStatus>>({});

export async function loadIngestStatus(appid: string): Promise<KnownStatus> {
  const answer = await ingestStatusOf(appid);
  const known = { ...answer, skewMs: Date.now() - answer.server_time };
  ingestStatus[appid] = known;
  return known;
}

/** Whether the app is known to have received nothing yet (false while unknown). */
export const hasNoData = (appid: string): boolean => ingestStatus[appid]?.events === 0;

/**
 * Ask every `waitingMs` until the first event, then every `receivingMs`; only while the page is
 * visible. Returns the function that stops it.
 */
export function pollIngestStatus(appid: string, waitingMs = 3000, receivingMs = 15_000): () => void {
  let timer: number | undefined;
  let stopped = false;
  const next = () => {
    if (stopped) return;
    timer = window.setTimeout(tick, hasNoData(appid) || !ingestStatus[appid] ? waitingMs : receivingMs);
  };
  const tick = async () => {
    if (document.visibilityState === 'visible') await loadIngestStatus(appid).catch(() => undefined);
    next();
  };
  void tick();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
