// One Server-Sent Events subscriber with a bounded queue. Writes go straight
// to the socket while it keeps up; when the socket pushes back (write() false)
// events wait in the queue until 'drain'. A client whose queue fills is too
// slow to follow the live feed: it is disconnected (and counted) rather than
// allowed to hold unbounded memory in the collector.
import type { ServerResponse } from "node:http";
import type { LiveTopic } from "./live-events.js";

export class SseClient {
  private readonly queue: string[] = [];
  private blocked = false;
  private closed = false;

  constructor(
    readonly topics: ReadonlySet<LiveTopic>,
    private readonly response: ServerResponse,
    private readonly maxQueuedEvents: number,
    private readonly onSlow: (client: SseClient) => void,
  ) {
    response.on("drain", () => this.drain());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Formats and sends one event (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
  send(event: string, data: unknown): void {
    this.enqueue(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A comment line: keeps idle connections open through proxies; clients ignore it. */
  ping(): void {
    this.enqueue(": ping\n\n");
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.response.end();
  }

  private enqueue(chunk: string): void {
    if (this.closed) return;
    if (!this.blocked) {
      this.blocked = !this.response.write(chunk);
      return;
    }
    if (this.queue.length >= this.maxQueuedEvents) {
      this.close();
      this.onSlow(this);
      return;
    }
    this.queue.push(chunk);
  }

  private drain(): void {
    this.blocked = false;
    while (!this.blocked && this.queue.length > 0) {
      const chunk = this.queue.shift() as string;
      this.blocked = !this.response.write(chunk);
    }
  }
}
