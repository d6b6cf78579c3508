// When the UI asks for a token, and which token the UI's server sends to the
// collector on a user's behalf.
//
// PERISCOPE_UI_SIGN_IN:
//   required — every user signs in with their own API token; the UI's own
//              token (PERISCOPE_API_TOKEN) is never used for a user's request,
//              so a viewer cannot change config through the UI;
//   off      — nobody signs in; requests carry PERISCOPE_API_TOKEN if set;
//   auto     — (default) sign in only when the UI has no token of its own and
//              the collector asks for one: the single-host demo gives the UI a
//              token and keeps working with no sign-in step.

export type SignInMode = "required" | "off" | "auto";

export function signInModeOf(env: Record<string, string | undefined>): SignInMode {
  const raw = env.PERISCOPE_UI_SIGN_IN?.trim().toLowerCase();
  return raw === "required" || raw === "off" ? raw : "auto";
}

/**
 * The bearer token for a request to the collector: the browser's own
 * Authorization header wins (API clients), then the signed-in user's session,
 * then the UI's token unless sign-in is required.
 */
export function upstreamToken(
  authorization: string | null,
  sessionToken: string | undefined,
  env: Record<string, string | undefined>,
): string | undefined {
  if (authorization !== null) return undefined;
  if (sessionToken !== undefined) return sessionToken;
  if (signInModeOf(env) === "required") return undefined;
  return env.PERISCOPE_API_TOKEN?.trim() || undefined;
}

/** Whether a page request without a session must go to the sign-in page first. */
export function signInNeeded(
  mode: SignInMode,
  hasSession: boolean,
  hasUiToken: boolean,
  collectorWantsToken: () => Promise<boolean>,
): Promise<boolean> {
  if (hasSession || mode === "off") return Promise.resolve(false);
  if (mode === "required") return Promise.resolve(true);
  return hasUiToken ? Promise.resolve(false) : collectorWantsToken();
}
