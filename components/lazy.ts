import { type ComponentChildren, type ComponentType, h } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A component whose code is loaded on first use (a dynamic `import()`, its own chunk), so that the panel's first
 * paint does not wait for it. Until the code is there, `fallback` is rendered (nothing by default); `preload()`
 * fetches it ahead of need (after the first paint, when the panel is idle). A failed load is retried on the next
 * mount and shown in words.
 */
export interface LazyComponent<P> {
  (props: P & { fallback?: ComponentChildren }): ComponentChildren;
  preload(): Promise<void>;
}

export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): LazyComponent<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  const start = () => {
    pending ??= load().then(
      (component) => {
        loaded = component;
        return component;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };

  function Lazy(props: P & { fallback?: ComponentChildren }): ComponentChildren {
    const [component, setComponent] = useState<ComponentType<P> | undefined>(() => loaded);
    const [error, setError] = useState<string | undefined>(undefined);
    useEffect(() => {
      if (component) return;
      let live = true;
      start().then(
        (c) => {
          if (live) setComponent(() => c);
        },
        (e: unknown) => {
          if (live) setError(e instanceof Error ? e.message : String(e));
        },
      );
      return () => {
        live = false;
      };
    }, [component]);
    if (component) {
      const { fallback: _fallback, ...rest } = props;
      return h(component as ComponentType<object>, rest);
    }
    if (error)
      return h('p', { class: 'error', role: 'alert' }, `Could not load this part of the panel: ${error}`);
    return props.fallback ?? null;
  }
  Lazy.preload = () => start().then(() => undefined);
  return Lazy;
}
