// API tokens: created and revoked by admins through the API, stored hashed in
// `api_tokens`, checked on every request from an in-memory copy. The copy is
// reloaded when this collector changes a token and at most every few seconds
// otherwise, so a token created or revoked through another replica takes
// effect within RELOAD_INTERVAL_MS.
import { randomBytes } from "node:crypto";
import type { Storage } from "../storage/storage.js";
import type { Principal, Role } from "./roles.js";
import { hashToken, newTokenSecret, sameHash } from "./token-hash.js";

const RELOAD_INTERVAL_MS = 10_000;
/** Bounds the table and the in-memory copy; creating more is refused. */
export const MAX_API_TOKENS = 1000;

export interface ApiTokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
}

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  token_hash: string;
  created_at_ms: string;
}

const ACTIVE_TOKENS_SQL = `
SELECT id, name, role, token_hash, toString(toUnixTimestamp64Milli(created_at)) AS created_at_ms
FROM api_tokens FINAL
WHERE NOT revoked
ORDER BY created_at, id
LIMIT ${MAX_API_TOKENS + 1}`;

export class ApiTokenStore {
  private byHash = new Map<string, TokenRow>();
  private loadedAtMs = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  /** Tokens from the environment, which exist before any token was created through the API. */
  private readonly bootstrap: { hash: string; principal: Principal }[] = [];

  constructor(
    private readonly storage: Storage,
    /** PERISCOPE_ADMIN_TOKEN: an admin, to create the other tokens. */
    bootstrapAdminToken: string,
    /** PERISCOPE_UI_TOKEN: an editor, for the UI's server (least privilege for UI users). */
    bootstrapUiToken = "",
  ) {
    if (bootstrapAdminToken !== "") {
      this.bootstrap.push({
        hash: hashToken(bootstrapAdminToken),
        principal: { name: "bootstrap-admin", role: "admin" },
      });
    }
    if (bootstrapUiToken !== "") {
      this.bootstrap.push({ hash: hashToken(bootstrapUiToken), principal: { name: "ui", role: "editor" } });
    }
  }

  async authenticate(token: string): Promise<Principal | undefined> {
    const hash = hashToken(token);
    const bootstrap = this.bootstrap.find((candidate) => sameHash(hash, candidate.hash));
    if (bootstrap !== undefined) return { ...bootstrap.principal };
    if (Date.now() - this.loadedAtMs > RELOAD_INTERVAL_MS) await this.reload();
    // The map is keyed by hash; a lookup reveals nothing about other tokens' secrets.
    const row = this.byHash.get(hash);
    return row === undefined ? undefined : { name: row.name, role: row.role };
  }

  async list(): Promise<ApiTokenInfo[]> {
    await this.reload();
    return [...this.byHash.values()].map(toInfo);
  }

  /** Returns the secret once; only its hash is stored. */
  async create(name: string, role: Role): Promise<ApiTokenInfo & { token: string }> {
    await this.reload();
    if (this.byHash.size >= MAX_API_TOKENS) throw new TokenLimitError();
    const token = newTokenSecret();
    const nowMs = Date.now();
    const id = randomBytes(8).toString("hex");
    await this.storage.insertRows("api_tokens", [
      {
        id,
        name,
        role,
        token_hash: hashToken(token),
        created_at: String(nowMs),
        updated_at: String(nowMs),
        revoked: false,
      },
    ]);
    await this.reloadAfterChange();
    return { id, name, role, createdAt: new Date(nowMs).toISOString(), token };
  }

  /** False when no active token has this id. */
  async revoke(id: string): Promise<boolean> {
    await this.reload();
    const row = [...this.byHash.values()].find((candidate) => candidate.id === id);
    if (row === undefined) return false;
    await this.storage.insertRows("api_tokens", [
      {
        id,
        name: row.name,
        role: row.role,
        token_hash: row.token_hash,
        created_at: row.created_at_ms,
        // A revocation must sort after the creation even within one millisecond.
        updated_at: String(Math.max(Date.now(), Number(row.created_at_ms) + 1)),
        revoked: true,
      },
    ]);
    await this.reloadAfterChange();
    return true;
  }

  /** A reload already in flight may have read the table before the change. */
  private async reloadAfterChange(): Promise<void> {
    await this.loading?.catch(() => {});
    await this.reload();
  }

  private reload(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const rows = await this.storage.select<TokenRow>(ACTIVE_TOKENS_SQL);
        this.byHash = new Map(rows.slice(0, MAX_API_TOKENS).map((row) => [row.token_hash, row]));
        this.loadedAtMs = Date.now();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}

export class TokenLimitError extends Error {
  override name = "TokenLimitError";
}

function toInfo(row: TokenRow): ApiTokenInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: new Date(Number(row.created_at_ms)).toISOString(),
  };
}
