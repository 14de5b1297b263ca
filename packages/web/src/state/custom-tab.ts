/**
 * What the 自定义分析 tabs share. useCustomTab: the app's events and the query being built (the
 * draft), taken from the address's `?q=` or the report's defaults once the events have come, with
 * its editing and its range. useCustomReport: running the query, written back to the address and
 * asked of the server each time it changes (none while it is incomplete). useQueryFilters: the
 * filters on the whole query, as FilterEditor edits them.
 */
import type { Condition, EventAnalysisQuery, EventDef, SavedReportKind } from '@miniscope/contract';
import { computed, type Ref, ref, watch } from 'vue';
import { customReports } from '@/api/custom';
import type { Report } from '@/api/dashboard';
import type { DateRange } from '@/utils/dates';
import { loadEventDefs } from './event-defs';
import { useLinkedQuery } from './linked-query';
import { useAsync } from './use-async';

type Reports = typeof customReports;
type QueryOf<K extends SavedReportKind> = Parameters<Reports[K]['get']>[1];
type AnswerOf<K extends SavedReportKind> = Awaited<ReturnType<Reports[K]['get']>>;
/** Filters on a whole query, as the reports' queries hold them (`match` may be left out). */
type QueryFilters = NonNullable<EventAnalysisQuery['filters']>;

/**
 * `start`: the first draft, from the query the address carries (if it has the fields the report
 * needs) or else from the app's events.
 */
export function useCustomTab<K extends SavedReportKind>(
  kind: K,
  appid: () => string,
  start: (events: EventDef[], linked: QueryOf<K> | null) => QueryOf<K>,
) {
  type Q = QueryOf<K>;
  const link = useLinkedQuery(kind);
  const defs = useAsync(() => loadEventDefs(appid()));
  const events = computed(() => defs.data.value ?? []);
  const draft = ref<Q>() as Ref<Q | undefined>;

  watch(
    () => defs.data.value,
    (list) => {
      if (!list || draft.value) return;
      draft.value = start(list, link.fromLink() as Q | null);
    },
    { immediate: true },
  );

  /** Change the draft (always set by the time the builder shows). */
  const edit = (patch: Partial<Q>) => {
    if (draft.value) draft.value = { ...draft.value, ...patch };
  };
  const range = computed<DateRange>({
    get: () => ({ from: draft.value?.from ?? '', to: draft.value?.to ?? '' }),
    set: (r) => edit(r as Partial<Q>),
  });
  return { defs, events, draft, edit, range };
}

/** `immediate`: write the address at once too (for a tab whose query is there from the start). */
export function useCustomReport<K extends SavedReportKind>(
  kind: K,
  appid: () => string,
  query: Readonly<Ref<QueryOf<K> | null>>,
  options: { immediate?: boolean } = {},
) {
  const link = useLinkedQuery(kind);
  watch(query, (q) => link.write(q), options);
  const report = customReports[kind] as Report<QueryOf<K>, AnswerOf<K>>;
  return useAsync(
    () => report.get(appid(), query.value!),
    () => query.value,
    () => !!query.value,
  );
}

/** The draft's own filters (事件分析, 漏斗分析): FilterEditor's conditions and how they join (all by default). */
export function useQueryFilters(
  draft: Readonly<Ref<{ filters?: QueryFilters } | undefined>>,
  edit: (patch: { filters: QueryFilters }) => void,
) {
  const conditions = computed({
    get: () => draft.value?.filters?.conditions ?? [],
    set: (list: Condition[]) => edit({ filters: { match: draft.value?.filters?.match ?? 'all', conditions: list } }),
  });
  const match = computed({
    get: () => draft.value?.filters?.match ?? 'all',
    set: (m: 'all' | 'any') => edit({ filters: { match: m, conditions: conditions.value } }),
  });
  return { conditions, match };
}
