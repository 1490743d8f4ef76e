import { batch, computed, signal } from '@preact/signals';
import type { KnowledgeStatus } from '../knowledge/queries';

/**
 * The knowledge status shown in the panel: versions, last update, progress of a running import, the last error.
 * Reading the status and starting an update are injected. While an import runs the status is polled (the import
 * runs in the background and writes its progress to the database); `onChanged` fires when a new generation of the
 * knowledge becomes active, so cards and search can reload.
 */
export interface KnowledgeModelDeps {
  status: () => Promise<KnowledgeStatus>;
  update: () => Promise<void>;
  /** Poll interval while an import runs (ms). */
  pollMs?: number;
  onChanged?: () => void;
}

export function createKnowledgeModel({
  status: readStatus,
  update,
  pollMs = 500,
  onChanged,
}: KnowledgeModelDeps) {
  const status = signal<KnowledgeStatus | undefined>(undefined);
  const readError = signal<string | undefined>(undefined);
  const updateError = signal<string | undefined>(undefined);
  const requesting = signal(false);
  const running = computed(() => requesting.value || Boolean(status.value?.progress));
  const ready = computed(() => status.value?.state === 'ready');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation: number | undefined;

  async function refresh(): Promise<void> {
    clearTimeout(timer);
    try {
      const next = await readStatus();
      const nextGeneration = next.active?.generation;
      const changed = generation !== undefined && nextGeneration !== generation;
      const first = generation === undefined && nextGeneration !== undefined && status.value !== undefined;
      generation = nextGeneration;
      batch(() => {
        status.value = next;
        readError.value = undefined;
      });
      if (changed || first) onChanged?.();
    } catch (e) {
      readError.value = e instanceof Error ? e.message : String(e);
    }
    if (running.value) timer = setTimeout(() => void refresh(), pollMs);
  }

  /** Ask the background to download and import the configured sources. */
  async function startUpdate(): Promise<void> {
    batch(() => {
      requesting.value = true;
      updateError.value = undefined;
    });
    const polling = refresh();
    try {
      await update();
    } catch (e) {
      updateError.value = e instanceof Error ? e.message : String(e);
    } finally {
      requesting.value = false;
      await polling;
      await refresh();
    }
  }

  function dispose(): void {
    clearTimeout(timer);
  }

  return { status, readError, updateError, requesting, running, ready, refresh, startUpdate, dispose };
}
export type KnowledgeModel = ReturnType<typeof createKnowledgeModel>;
