import { AppError } from '@platform/core';

/** An export file that cannot be read; `where` names the line or entry at fault. */
export class ExportFormatError extends AppError {
  constructor(message: string, where?: { file?: string; line?: number; entry?: number; column?: string }) {
    const place = [
      where?.file,
      where?.line === undefined ? undefined : `line ${where.line}`,
      where?.entry === undefined ? undefined : `entry ${where.entry}`,
      where?.column === undefined ? undefined : `column "${where.column}"`,
    ]
      .filter((part) => part !== undefined)
      .join(', ');
    super('INVALID_EXPORT', place ? `${place}: ${message}` : message, {
      status: 400,
      details: where ? [{ message, ...where }] : [],
    });
    this.name = 'ExportFormatError';
  }
}

/** The year holds no plays, or too few for a report: the user's situation, not a fault. */
export class NotEnoughPlaysError extends AppError {
  constructor(message: string) {
    super('NOT_ENOUGH_PLAYS', message, { status: 422 });
    this.name = 'NotEnoughPlaysError';
  }
}

/** A music service refused the stored credentials (revoked, expired beyond refresh). */
export class CredentialsError extends AppError {
  constructor(message: string) {
    super('INVALID_CREDENTIALS', message, { status: 401 });
    this.name = 'CredentialsError';
  }
}
