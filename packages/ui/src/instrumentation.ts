// Next.js calls register() once when the server starts, after its own start-up
// has named the process "next-server (v…)": the name set here is the one
// /proc shows, so Periscope's agents see this process as periscope-ui and
// leave it out of capture unless PERISCOPE_CAPTURE_SELF is set.
export function register(): void {
  if (process.env.NEXT_RUNTIME === "nodejs") process.title = "periscope-ui";
}
