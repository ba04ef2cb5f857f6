import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, ERROR_STATUS, type StandardErrorCode } from '../errors.js';

const CODE_BY_STATUS = new Map<number, StandardErrorCode>(
  (Object.entries(ERROR_STATUS) as [StandardErrorCode, number][])
    .filter(([code]) => code !== 'JOB_NOT_FOUND')
    .map(([code, status]) => [status, code]),
);

interface ValidationIssue {
  instancePath: string;
  message?: string | undefined;
}

function validationError(context: string | undefined, issues: ValidationIssue[]): AppError {
  const details = issues.map((issue) => {
    const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const path = [context, field].filter((part) => part !== undefined && part !== '').join('.');
    return { path, message: issue.message ?? 'is invalid' };
  });
  const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
  return new AppError('INVALID_INPUT', `Invalid request: ${summary}`, { details });
}

/** Turns anything thrown in a request into an AppError whose message is safe to return. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) return validationError(error.validationContext, error.validation);
  if (isResponseSerializationError(error)) return new AppError('INTERNAL_ERROR', 'Internal server error');
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) return validationError(fastifyError.validationContext, fastifyError.validation);
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = CODE_BY_STATUS.get(status) ?? 'INVALID_INPUT';
    return new AppError(code, fastifyError.message ?? 'Bad request', { status });
  }
  return new AppError('INTERNAL_ERROR', 'Internal server error', { cause: error });
}

export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(error);
  if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: appError.code, status: appError.status }, appError.message);
  return reply
    .status(appError.status)
    .header('x-request-id', request.id)
    .headers(appError.headers)
    .type('application/json; charset=utf-8')
    .send(appError.toEnvelope(request.id));
}

/** Fastify's own pre-routing errors, with messages that do not echo the request. */
export function frameworkError(error: FastifyError): AppError {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return new AppError('URI_TOO_LONG', 'a path parameter is too long', { status: 414 });
  if (error.code === 'FST_ERR_BAD_URL') return new AppError('INVALID_INPUT', 'the URL is not valid');
  return toAppError(error);
}

const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'HEADERS_TOO_LARGE',
    message: 'the request headers are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    message: 'the request took too long to send',
  },
};

/**
 * Answers what Node's HTTP parser refused before any request existed (an unknown method, malformed or
 * oversized headers, a request sent too slowly) with the envelope and a fresh request id.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const known = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: 400,
    code: 'INVALID_INPUT',
    message: 'the request is malformed',
  };
  const requestId = randomUUID();
  const body = JSON.stringify({ code: known.code, message: known.message, request_id: requestId });
  socket.end(
    `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status] ?? 'Bad Request'}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${requestId}\r\n` +
      'connection: close\r\n\r\n' +
      body,
  );
}
