// The pages a user moves between (UI.md: information architecture). Each carries
// the frame's parameters, so a time range picked on the map holds on Requests.

export interface NavItem {
  href: string;
  label: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Map" },
  { href: "/requests", label: "Requests" },
  { href: "/traces", label: "Traces" },
  { href: "/services", label: "Services" },
  { href: "/flame", label: "Flame graphs" },
  { href: "/links", label: "Links" },
  { href: "/agents", label: "Agents" },
  { href: "/settings", label: "Settings" },
];

/** The map is active only on "/"; other items on their page and anything below it. */
export function isActive(pathname: string, href: string): boolean {
  if (href === "/") return pathname === "/" || pathname.startsWith("/map-diff");
  return pathname === href || pathname.startsWith(`${href}/`);
}
