"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useFrame } from "../../frame/useFrame";
import { ShareButton } from "../ShareButton/ShareButton";
import { FrameFilters } from "./FrameFilters";
import { LiveIndicator } from "./LiveIndicator";
import { isActive, NAV_ITEMS } from "./navItems";
import { ThemeToggle } from "./ThemeToggle";
import { TimeRangePicker } from "./TimeRangePicker";
import "./Header.css";

/** Rendered once by app/layout.tsx, under <Suspense> (useFrame reads the URL). */
export function Header() {
  const frame = useFrame();
  const pathname = usePathname();
  return (
    <header className="app-header">
      <div className="app-header__top">
        <Link href={frame.hrefWithFrame("/")} className="app-header__brand" aria-label="Periscope home">
          <PeriscopeMark />
          <span className="app-header__name">Periscope</span>
        </Link>
        <nav aria-label="Main" className="app-header__nav">
          {NAV_ITEMS.map((item) => {
            const active = isActive(pathname, item.href);
            return (
              // Not prefetched on load: eight route fetches through the UI's server raced
              // the first page's own API call (the map's took 470 ms instead of ~65 ms under
              // load). A hover still prefetches, ahead of the click.
              <Link
                key={item.href}
                href={frame.hrefWithFrame(item.href)}
                prefetch={false}
                className="app-header__link"
                aria-current={active ? "page" : undefined}
              >
                {item.label}
              </Link>
            );
          })}
        </nav>
        <div className="app-header__end">
          <LiveIndicator following={frame.live} />
          <ShareButton />
          <ThemeToggle />
        </div>
      </div>
      <div className="app-header__controls">
        <TimeRangePicker frame={frame} />
        <FrameFilters frame={frame} />
      </div>
    </header>
  );
}

/** Same height as Header, so the page does not jump when it mounts. */
export function HeaderPlaceholder() {
  return <div className="app-header app-header--placeholder" />;
}

function PeriscopeMark() {
  return (
    <svg className="app-header__mark" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      <path
        d="M7 21V9a3 3 0 0 1 3-3h7"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.4"
        strokeLinecap="round"
      />
      <circle cx="18.5" cy="6" r="2.8" fill="currentColor" />
    </svg>
  );
}
