import type { Reply } from './script.js';

/** How one provider renders a reply, a stream and an error. */
export interface WireFormat {
  /** The non-streaming response body. */
  body(reply: Reply): unknown;
  /** The streaming response as complete SSE frames, in order. */
  frames(reply: Reply, request: any): string[];
  /** A frame whose data is not valid JSON. */
  readonly malformedFrame: string;
  /** The provider's error body for a status. */
  errorBody(status: number, message: string): unknown;
}

/** A named SSE event frame. */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The OpenAI-style error `type` for a status; also used for Anthropic. */
export function errorTypeFor(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}
