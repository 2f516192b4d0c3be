/**
 * One error catalogue for the imaging core. Every failure a user can cause
 * (bad file, unsupported data, inconsistent series) is a RachisError with a
 * stable machine-readable `code` and a message that names the file.
 */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'NOT_DICOM'
  | 'TRUNCATED'
  | 'MALFORMED'
  | 'NO_PIXEL_DATA'
  | 'UNSUPPORTED_TRANSFER_SYNTAX'
  | 'UNSUPPORTED_FORMAT'
  | 'INCONSISTENT_SERIES'
  | 'MULTIPLE_SERIES'
  | 'NO_SERIES'
  | 'ABSURD_DIMENSIONS'
  | 'GEOMETRY_MISMATCH'
  | 'INVALID_ARGUMENT'
  | 'WRONG_MODALITY'
  | 'NO_SPINE'
  | 'UNSAFE_CONTENT'
  | 'INTERNAL';

export class RachisError extends Error {
  readonly code: ErrorCode;
  /** The file (or folder) the problem is about, when there is one. */
  readonly file: string | undefined;

  constructor(code: ErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(options.file ? `${options.file}: ${message}` : message, { cause: options.cause });
    this.name = 'RachisError';
    this.code = code;
    this.file = options.file;
  }
}

export function isRachisError(e: unknown, code?: ErrorCode): e is RachisError {
  return e instanceof RachisError && (code === undefined || e.code === code);
}
