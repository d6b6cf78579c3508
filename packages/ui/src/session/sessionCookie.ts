// The signed-in user's API token travels only in this cookie: HttpOnly so no
// script on the page can read it, SameSite=Strict so no other site can make
// the browser send it (the UI's writes need no CSRF token then), Secure when
// the UI is served over HTTPS.

export const SESSION_COOKIE = "periscope_session";
/** A working day; signing in again is one paste. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

export function sessionCookie(token: string, secure: boolean): string {
  const attributes = [
    `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${SESSION_MAX_AGE_S}`,
  ];
  if (secure) attributes.push("Secure");
  return attributes.join("; ");
}

export function clearedSessionCookie(secure: boolean): string {
  return [
    `${SESSION_COOKIE}=`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    "Max-Age=0",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

/** The session's token from a Cookie header, or undefined. */
export function sessionTokenOf(cookieHeader: string | null | undefined): string | undefined {
  for (const part of (cookieHeader ?? "").split(";")) {
    const separator = part.indexOf("=");
    if (separator < 0 || part.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    try {
      const value = decodeURIComponent(part.slice(separator + 1).trim());
      return value === "" ? undefined : value;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** HTTPS as the browser sees it: the request's own scheme, or the proxy's X-Forwarded-Proto. */
export function isHttps(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return (forwarded ?? new URL(request.url).protocol.replace(":", "")) === "https";
}
