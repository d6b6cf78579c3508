// Next's request proxy (the file name is Next's convention): sends a page
// request to /sign-in when this browser must sign in first (src/session/
// signInPolicy.ts). API calls are not redirected: without a token the
// collector answers 401 in its own error shape, which the views show.
import { type NextRequest, NextResponse } from "next/server";
import { collectorWantsToken } from "./session/collectorWantsToken";
import { SESSION_COOKIE } from "./session/sessionCookie";
import { signInModeOf, signInNeeded } from "./session/signInPolicy";

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const env = process.env;
  const needed = await signInNeeded(
    signInModeOf(env),
    request.cookies.get(SESSION_COOKIE)?.value !== undefined,
    Boolean(env.PERISCOPE_API_TOKEN?.trim()),
    () => collectorWantsToken(env),
  );
  if (!needed) return NextResponse.next();
  const signIn = new URL("/sign-in", request.url);
  signIn.searchParams.set("next", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Pages only: not the API proxy, the session endpoints, the sign-in page or Next's assets.
  matcher: ["/((?!api/|auth/|sign-in|_next/|icon.svg|favicon.ico).*)"],
};
