/**
 * A report request bound to the inputs it depends on: reloads when their value changes (compared
 * as JSON, so an equal new object does not ask again), keeps only the latest answer (a slow old
 * answer never overwrites a newer one), and exposes loading and error for the skeleton, empty and
 * error states.
 */
import { ref, shallowRef, watch } from 'vue';
import { ApiError } from '@/api/client';

/**
 * `inputs`: what the request depends on; `ready`: whether it may start yet (e.g. after a more
 * important request, since the embedded ClickHouse answers one query at a time).
 */
export function useAsync<T>(
  load: () => Promise<T>,
  inputs: () => unknown = () => null,
  ready: () => boolean = () => true,
) {
  const data = shallowRef<T>();
  const loading = ref(true);
  const error = ref<ApiError | null>(null);
  let seq = 0;

  async function run(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const result = await load();
      if (mine === seq) data.value = result;
    } catch (e) {
      if (mine === seq) error.value = e instanceof ApiError ? e : new ApiError(0, 'client', String(e));
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  watch(
    () => (ready() ? JSON.stringify(inputs()) : undefined),
    (key) => {
      if (key !== undefined) void run();
    },
    { immediate: true },
  );
  return { data, loading, error, reload: run };
}

/** What useAsync gives, for components handed a request made by their parent. */
export type AsyncResult<T> = ReturnType<typeof useAsync<T>>;
