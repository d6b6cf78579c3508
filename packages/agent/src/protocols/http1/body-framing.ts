import {
  type BodyDecoder,
  ChunkedBody,
  CloseDelimitedBody,
  EmptyBody,
  FixedLengthBody,
} from "./body-decoders.js";
import type { RequestHead, ResponseHead } from "./message-head.js";

/** How a message's body ends, per RFC 9112 §6.3; a string is why the framing is invalid. */
export function requestBodyDecoder(head: RequestHead): BodyDecoder | string {
  const transferEncoding = head.headers.get("transfer-encoding");
  if (transferEncoding !== undefined) {
    // Rule 4: a request whose final coding is not chunked cannot be delimited.
    return isChunkedLast(transferEncoding) ? new ChunkedBody() : "request transfer-encoding without chunked";
  }
  return contentLengthBody(head.headers.get("content-length")) ?? new EmptyBody();
}

export function responseBodyDecoder(
  head: ResponseHead,
  requestMethod: string | undefined,
): BodyDecoder | string {
  // Rule 1: no body after HEAD, and none in 1xx, 204 and 304 responses.
  if (requestMethod === "HEAD" || head.status < 200 || head.status === 204 || head.status === 304) {
    return new EmptyBody();
  }
  const transferEncoding = head.headers.get("transfer-encoding");
  if (transferEncoding !== undefined) {
    // Rule 4: a response whose final coding is not chunked runs until close.
    return isChunkedLast(transferEncoding) ? new ChunkedBody() : new CloseDelimitedBody();
  }
  return contentLengthBody(head.headers.get("content-length")) ?? new CloseDelimitedBody();
}

function isChunkedLast(transferEncoding: string): boolean {
  const codings = transferEncoding.split(",").map((coding) => coding.trim().toLowerCase());
  return codings[codings.length - 1] === "chunked";
}

/** Undefined when absent; a message when malformed; a repeated identical value is allowed (§6.3 rule 5). */
function contentLengthBody(value: string | undefined): BodyDecoder | string | undefined {
  if (value === undefined) return undefined;
  const values = new Set(value.split(",").map((part) => part.trim()));
  const [only] = values;
  if (values.size !== 1 || only === undefined || !/^\d{1,15}$/.test(only)) return "invalid content-length";
  return new FixedLengthBody(Number(only));
}
