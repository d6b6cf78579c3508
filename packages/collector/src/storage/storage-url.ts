// PERISCOPE_STORAGE_URL carries the ClickHouse password. It is split here into
// a URL without credentials (the only form that is ever printed, logged or
// handed to the client as its `url`) and the credentials themselves, and any
// text that may contain it is redacted before it reaches a message.

/** What replaces the user-info part of a URL in every message. */
export const REDACTED = "***";

/**
 * The URL with its user-info (user:password@) replaced, for messages. Works on
 * text that does not parse as a URL too: a password holding a raw `#`, `@` or
 * `/` is exactly what makes a URL malformed, so everything from the scheme to
 * the LAST `@` is hidden (WHATWG URL parsing also takes the last `@` as the
 * end of the user-info: https://url.spec.whatwg.org/#authority-state).
 */
export function redactStorageUrl(raw: string): string {
  const at = raw.lastIndexOf("@");
  if (at < 0) return raw;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(raw)?.[0] ?? "";
  return `${scheme}${REDACTED}${raw.slice(at)}`;
}

/** Replaces every occurrence of the URL, and of its raw and decoded password, in a message. */
export function redactSecretsIn(text: string, rawUrl: string): string {
  if (rawUrl === "") return text;
  let result = text.split(rawUrl).join(redactStorageUrl(rawUrl));
  for (const secret of passwordForms(rawUrl)) result = result.split(secret).join(REDACTED);
  return result;
}

function passwordForms(rawUrl: string): string[] {
  const forms = new Set<string>();
  try {
    const password = new URL(rawUrl).password;
    if (password !== "") {
      forms.add(password);
      forms.add(decodeURIComponent(password));
    }
  } catch {
    // Malformed: the password is whatever lies between the first ':' after the scheme and the last '@'.
    const afterScheme = rawUrl.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, "");
    const at = afterScheme.lastIndexOf("@");
    const colon = afterScheme.indexOf(":");
    if (at > 0 && colon >= 0 && colon < at) forms.add(afterScheme.slice(colon + 1, at));
  }
  // A one-character password would redact every such character of a message; those are not worth it.
  return [...forms].filter((form) => form.length >= 3);
}

export interface ServerEndpoint {
  /** The URL without user-info. */
  url: string;
  username?: string;
  password?: string;
}

/** Takes the (percent-decoded) credentials out of a server URL. */
export function splitCredentials(rawUrl: string): ServerEndpoint {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new Error(`storage URL is malformed: ${redactStorageUrl(rawUrl)}`);
  }
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = "";
  url.password = "";
  return {
    url: url.toString(),
    ...(username === "" ? {} : { username }),
    ...(password === "" ? {} : { password }),
  };
}
