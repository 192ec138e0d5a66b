/** The backend's own message (a ResponseError's body), else the error's. */
export function messageOf(error: unknown): string {
  const body = (error as { body?: { error?: { message?: string } } }).body;
  return body?.error?.message ?? (error as Error).message;
}
