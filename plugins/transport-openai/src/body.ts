import type { IncomingMessage } from 'node:http';
import { ApiError, apiError } from './errors.js';

function tooLarge(limit: number): ApiError {
  // Closing the connection stops a client from streaming the rest of an oversized body at us.
  return new ApiError(413, 'LLMB_ERR_PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${limit} bytes.`, {
    headers: { connection: 'close' },
  });
}

/** Reads the whole body, refusing (413) by Content-Length and again by bytes actually received. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = () => {
      cleanup();
      reject(apiError('LLMB_ERR_INVALID_REQUEST', 'The request body could not be read.'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

/** Reads and parses a JSON body; malformed JSON is a 400, never a 500. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const raw = await readBody(req, limit);
  if (raw.length === 0) throw apiError('LLMB_ERR_INVALID_REQUEST', 'The request body is empty; send a JSON object.');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw apiError('LLMB_ERR_INVALID_REQUEST', 'We could not parse the JSON body of your request. Send valid JSON with Content-Type: application/json.');
  }
}
