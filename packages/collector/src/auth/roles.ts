// Who may do what. Roles are ordered: each includes everything below it.
//   viewer — reads every GET endpoint;
//   editor — also creates shared links and changes agents' collection config;
//   admin  — also manages API tokens.
export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

export interface Principal {
  /** Token name (or "anonymous" when auth is disabled); recorded as links' creator. */
  name: string;
  role: Role;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The least role a route needs; GET routes default to viewer, others to admin. */
    minimumRole?: Role;
    /** Reachable without a token (health checks). */
    public?: boolean;
  }
  interface FastifyRequest {
    /** Set by the auth hook; absent only when the app runs without auth (tests of single routes). */
    principal?: Principal;
  }
}
