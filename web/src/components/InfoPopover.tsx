/**
 * An "i" button that opens a short explanation. It uses the browser's popover API: the button is
 * a real button (Enter/Space), the panel follows it in the tab order, and Escape or a click
 * elsewhere closes it, with the browser keeping focus on the button.
 */
import { useId, useRef, type ReactNode, type ToggleEvent } from 'react';

const GAP = 6;
const MARGIN = 8;
/** The panel's CSS width (22rem), for placing it before it is measurable. */
const PANEL_WIDTH = 352;

interface InfoPopoverProps {
  /** What the popover explains, e.g. "Meeting load"; read out as "About Meeting load". */
  readonly subject: string;
  readonly children: ReactNode;
}

export function InfoPopover({ subject, children }: InfoPopoverProps) {
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  // Popovers sit in the top layer, outside the page's layout, so they are placed by hand next to
  // their button: below it, shifted left near the window's edge, flipped above when there is no
  // room below. Placing before the panel opens avoids a flash in the middle of the screen; the
  // real size is only known once it is open.
  const place = (event: ToggleEvent<HTMLDivElement>) => {
    if (event.newState !== 'open' || !button.current || !panel.current) return;
    const anchor = button.current.getBoundingClientRect();
    const viewportWidth = document.documentElement.clientWidth;
    const measured = panel.current.getBoundingClientRect();
    const width =
      measured.width > 0 ? measured.width : Math.min(PANEL_WIDTH, viewportWidth - 2 * MARGIN);
    const left = Math.max(MARGIN, Math.min(anchor.left, viewportWidth - width - MARGIN));
    const roomBelow = window.innerHeight - anchor.bottom - GAP - MARGIN;
    const top =
      measured.height > roomBelow && anchor.top - GAP - measured.height > MARGIN
        ? anchor.top - GAP - measured.height
        : anchor.bottom + GAP;
    panel.current.style.left = `${left + window.scrollX}px`;
    panel.current.style.top = `${top + window.scrollY}px`;
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className="info-button"
        popoverTarget={id}
        aria-label={`About ${subject}`}
        title={`About ${subject}`}
      >
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
          <circle cx="8" cy="8" r="7" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <rect x="7.2" y="7" width="1.6" height="5" rx="0.8" fill="currentColor" />
          <circle cx="8" cy="4.6" r="1" fill="currentColor" />
        </svg>
      </button>
      <div
        ref={panel}
        id={id}
        popover="auto"
        role="dialog"
        aria-label={subject}
        className="popover"
        onBeforeToggle={place}
        onToggle={place}
      >
        <p className="popover-title">{subject}</p>
        {children}
      </div>
    </>
  );
}
