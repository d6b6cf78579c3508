import { networkInterfaces } from "node:os";
import { isLoopback, normalizeIp } from "../connections/ip-address.js";

/** Addresses of this host: a connection to one of them ends at a local process. */
export class LocalAddresses {
  private addresses = new Set<string>();
  private lastRefreshMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly refreshIntervalMs = 30_000,
    private readonly listAddresses: () => string[] = interfaceAddresses,
    private readonly now: () => number = Date.now,
  ) {}

  has(ip: string): boolean {
    if (isLoopback(ip)) return true;
    if (this.now() - this.lastRefreshMs >= this.refreshIntervalMs) {
      this.addresses = new Set(this.listAddresses().map(normalizeIp));
      this.lastRefreshMs = this.now();
    }
    return this.addresses.has(ip);
  }
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .map((entry) => entry.address);
}
