// The UI's two typefaces, served by the UI's own server (next/font/local copies
// the files into the build, preloads them and sizes a fallback to match, so the
// swap does not shift the layout): Inter for text and JetBrains Mono for ids,
// paths and figures in columns. Both are variable fonts under the SIL Open Font
// License, from the @fontsource-variable packages. Only the Latin subset ships
// (48 KB and 40 KB): the pages look the same on every machine and never fetch a
// font from outside, which clusters without Internet access need. Characters
// outside Latin fall back to the system stack behind them in globals.css.
import localFont from "next/font/local";

export const inter = localFont({
  src: "../../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  weight: "100 900",
  style: "normal",
  variable: "--font-bundled-sans",
  display: "swap",
});

export const jetBrainsMono = localFont({
  src: "../../node_modules/@fontsource-variable/jetbrains-mono/files/jetbrains-mono-latin-wght-normal.woff2",
  weight: "100 800",
  style: "normal",
  variable: "--font-bundled-mono",
  display: "swap",
});
