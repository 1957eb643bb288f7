/** Hooks that read the view state from the address bar and write defaults back into it. */
import { useEffect, useMemo } from 'react';
import { navigate, useHref } from './router.tsx';
import {
  formatLocation,
  parseLocation,
  resolveFilters,
  type ResolvedFilters,
  type ViewState,
} from './url-state.ts';

export function useViewState(): ViewState {
  const href = useHref();
  return useMemo(() => {
    const url = new URL(href, window.location.origin);
    return parseLocation(url.pathname, url.search);
  }, [href]);
}

/**
 * The filters with defaults applied. Once they are known, the address bar is rewritten to spell
 * them out (without a new history entry), so a copied link keeps showing the same weeks even after
 * another week has completed. `uses` names the parameters the current page depends on.
 */
export function useResolvedFilters(
  state: ViewState,
  latestCompleteWeek: string | null,
  uses: readonly (keyof ResolvedFilters)[],
): ResolvedFilters | null {
  const resolved = useMemo(
    () => (latestCompleteWeek === null ? null : resolveFilters(state, latestCompleteWeek)),
    [state, latestCompleteWeek],
  );
  const canonical =
    resolved === null
      ? null
      : formatLocation({
          route: state.route,
          week: uses.includes('week') ? resolved.week : state.week,
          from: uses.includes('from') ? resolved.from : state.from,
          to: uses.includes('to') ? resolved.to : state.to,
        });
  useEffect(() => {
    if (canonical !== null) navigate(canonical, { replace: true });
  }, [canonical]);
  return resolved;
}
