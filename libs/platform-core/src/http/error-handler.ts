import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
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
    .headers(appError.headers)
    .type('application/json; charset=utf-8')
    .send(appError.toEnvelope(request.id));
}
