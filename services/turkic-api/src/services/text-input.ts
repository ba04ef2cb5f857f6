import { AppError, invalidInput } from '@platform/core';

/** Checks a text field: not empty, not longer than the service's limit (413). */
export function checkText(text: string, maxChars: number): void {
  if (text.trim() === '') throw invalidInput('text must not be empty', [{ path: 'text', message: 'must not be empty' }]);
  if (text.length > maxChars) {
    throw new AppError('PAYLOAD_TOO_LARGE', `text has ${text.length} characters; the limit is ${maxChars} (TURKIC_MAX_TEXT_CHARS)`);
  }
}
