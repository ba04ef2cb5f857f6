/** The JSON value of `text`, or undefined when it is not JSON (an upstream's error page, a tool's noise). */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
