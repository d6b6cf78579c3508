/**
 * Counts gRPC's length-prefixed messages in one direction of one stream
 * (gRPC over HTTP/2, "Length-Prefixed-Message"): a 1-octet compressed flag, a
 * 4-octet big-endian length, then that many octets. Messages span DATA frames
 * freely, so the counter keeps its place across calls.
 */
export class GrpcMessageCounter {
  /** Messages whose last octet was seen. */
  completed = 0;
  /** False once octets went uncaptured inside a prefix: the count stops there. */
  inSync = true;
  private prefixOctets = 0;
  private declaredLength = 0;
  private bodyRemaining = 0;

  feed(bytes: Buffer): void {
    let at = 0;
    while (this.inSync && at < bytes.length) {
      if (this.prefixOctets < 5) {
        const byte = bytes[at++] ?? 0;
        // Octet 0 is the compressed flag; octets 1-4 the length.
        if (this.prefixOctets > 0) this.declaredLength = this.declaredLength * 256 + byte;
        this.prefixOctets++;
        if (this.prefixOctets === 5) this.startBody();
        continue;
      }
      const take = Math.min(this.bodyRemaining, bytes.length - at);
      at += take;
      this.bodyRemaining -= take;
      if (this.bodyRemaining === 0) this.finishMessage();
    }
  }

  /** `length` octets went uncaptured: stepped over when they lie inside one message's body. */
  skip(length: number): void {
    if (this.prefixOctets === 5 && length <= this.bodyRemaining) {
      this.bodyRemaining -= length;
      if (this.bodyRemaining === 0) this.finishMessage();
    } else if (length > 0) {
      this.inSync = false;
    }
  }

  private startBody(): void {
    this.bodyRemaining = this.declaredLength;
    if (this.bodyRemaining === 0) this.finishMessage();
  }

  private finishMessage(): void {
    this.completed++;
    this.prefixOctets = 0;
    this.declaredLength = 0;
  }
}
