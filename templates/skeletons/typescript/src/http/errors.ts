// JSON error responses: {"error": "..."}.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** Request bodies are capped so that a client cannot exhaust memory. */
export const MAX_BODY_BYTES = 1 << 20;

/** A client error raised while reading a request, with its status and message. */
export class HttpError extends Error {
  readonly statusCode: number;

  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
  }
}

export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ error: message });
}

/** Logs error and answers 500 without revealing internals. */
export function internalError(request: FastifyRequest, reply: FastifyReply, what: string, error: unknown): FastifyReply {
  request.log.error({ error }, `${what} failed`);
  return sendError(reply, 500, 'internal error');
}

/**
 * The status and message for an error that reached Fastify's error handler,
 * or undefined for a server error. Fastify's own messages are replaced with
 * ones that state the rule.
 */
export function clientError(error: unknown): { status: number; message: string } | undefined {
  if (error instanceof HttpError) return { status: error.statusCode, message: error.message };
  if (!(error instanceof Error)) return undefined;
  const { code, statusCode = 500 } = error as Partial<FastifyError>;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: `body must be at most ${MAX_BODY_BYTES} bytes` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, message: 'Content-Type must be application/json' };
  }
  return statusCode >= 400 && statusCode < 500 ? { status: statusCode, message: error.message } : undefined;
}
