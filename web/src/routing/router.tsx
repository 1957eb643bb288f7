/**
 * A tiny router over the History API: the address bar is the single source of the view state.
 * `navigate` pushes (or replaces) an entry and notifies subscribers; the back button works through
 * `popstate`. After a pushed navigation the next page heading takes focus, so keyboard and
 * screen-reader users land at the start of the new content rather than on a stale link.
 */
import {
  useEffect,
  useRef,
  useSyncExternalStore,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react';

const NAVIGATE_EVENT = 'syncbalance:navigate';
let focusHeadingAfterNavigation = false;

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

function currentHref(): string {
  return window.location.pathname + window.location.search;
}

/** The current path and query, e.g. "/teams/Sales?week=2026-11-09". */
export function useHref(): string {
  return useSyncExternalStore(subscribe, currentHref);
}

/**
 * Goes to `href`. `replace` rewrites the current entry (filling in defaults must not add a step to
 * the back button); `newPage: false` keeps scroll and focus where they are (changing a filter).
 */
export function navigate(
  href: string,
  { replace = false, newPage = !replace }: { replace?: boolean; newPage?: boolean } = {},
): void {
  if (href === currentHref()) return;
  if (replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  if (newPage) {
    focusHeadingAfterNavigation = true;
    window.scrollTo(0, 0);
  }
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

function isPlainLeftClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  readonly href: string;
  readonly children: ReactNode;
}

/** A real link (open in a new tab, copy address) that navigates in place on a plain click. */
export function Link({ href, children, onClick, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={href}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || !isPlainLeftClick(event)) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

/** The page's h1; it names the browser tab and receives focus after an in-app navigation. */
export function PageHeading({ children }: { readonly children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!focusHeadingAfterNavigation) return;
    focusHeadingAfterNavigation = false;
    heading.current?.focus();
  }, []);
  useEffect(() => {
    document.title = `${heading.current?.textContent ?? ''} · syncbalance`;
  });
  return (
    <h1 ref={heading} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
