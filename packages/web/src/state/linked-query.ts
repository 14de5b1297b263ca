/**
 * A 自定义分析 report's query in its address: read from `?q=` (the query as JSON, so a link opens
 * the same report) and written back, replacing the history entry, each time the query changes; an
 * incomplete query (none to send) takes `q` away, so that what is saved is what is shown. The rest
 * of the address's query (a saved report's id) is kept.
 */
import type { SavedReportKind } from '@miniscope/contract';
import { useRoute, useRouter } from 'vue-router';
import { REQUIRED, readQuery } from '@/utils/custom-query';

export function useLinkedQuery(kind: SavedReportKind) {
  const route = useRoute();
  const router = useRouter();
  return {
    /** The query the address carries, if it has the fields this report needs. */
    fromLink: (): Record<string, unknown> | null => readQuery(route.query.q, REQUIRED[kind]),
    write(query: object | null): void {
      if (query === null) {
        if (route.query.q === undefined) return;
        const { q: _, ...rest } = route.query;
        void router.replace({ query: rest });
        return;
      }
      const q = JSON.stringify(query);
      if (route.query.q !== q) void router.replace({ query: { ...route.query, q } });
    },
  };
}
