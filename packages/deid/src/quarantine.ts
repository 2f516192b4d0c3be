/** Why an object was not written. Codes and details never contain values from the file. */
export type QuarantineReason =
  | 'not-dicom'
  | 'unparseable'
  | 'unsupported-transfer-syntax'
  | 'missing-sop-instance-uid'
  | 'dicomdir'
  | 'public-sequence-not-parseable'
  | 'burned-in-text-risk'
  | 'burned-in-text-compressed-pixels'
  | 'burned-in-text-unsupported-pixels'
  | 'rewrite-verification-failed'
  | 'residual-identifier';

export class QuarantineError extends Error {
  constructor(readonly reason: QuarantineReason, readonly detail: string) {
    super(`${reason}: ${detail}`);
    this.name = 'QuarantineError';
  }
}
