/** One factory for the lab's protocol errors: a stable `code`, and the close code or HTTP status where one applies. */
export class WireError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly closeCode?: number,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

export function wireError(code: string, message: string, extra: { status?: number; closeCode?: number } = {}): WireError {
  return new WireError(code, message, extra.status, extra.closeCode);
}
