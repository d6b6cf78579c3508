import type { Metadata } from "next";
import { type ReactNode, Suspense } from "react";
import { Header, HeaderPlaceholder } from "../components/Header/Header";
import { THEME_BOOT_SCRIPT } from "../components/Header/theme";
import { LiveProvider } from "../frame/LiveProvider";
import { inter, jetBrainsMono } from "./fonts";
import "./globals.css";

export const metadata: Metadata = {
  title: "Periscope",
  description: "Live service map and request history from eBPF",
};

// suppressHydrationWarning: the boot script sets data-theme on <html> before React
// hydrates, so the server's markup and the DOM differ there on purpose.
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className={`${inter.variable} ${jetBrainsMono.variable}`} suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, no user input */}
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body>
        <a className="skip-link" href="#content">
          Skip to content
        </a>
        <LiveProvider>
          <Suspense fallback={<HeaderPlaceholder />}>
            <Header />
          </Suspense>
          <div id="content" tabIndex={-1}>
            {children}
          </div>
        </LiveProvider>
      </body>
    </html>
  );
}
