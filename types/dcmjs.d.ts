/**
 * Minimal typings for dcmjs (it ships none). Naturalized datasets are keyword-keyed
 * objects whose value shapes depend on the VR, so they are typed as `DicomDataset`
 * (a record of unknown) and narrowed by the caller. Classes whose surface is large and
 * untyped upstream (derivations, SR templates, normalizers) are typed with `any`
 * deliberately: wrap them in a typed function in the package that uses them.
 * Extend this file when you need more of the API.
 */
declare module 'dcmjs' {
  export type DicomDataset = Record<string, unknown>;

  export interface DicomDictInstance {
    meta: Record<string, unknown>;
    dict: Record<string, unknown>;
    write(options?: Record<string, unknown>): ArrayBuffer;
  }

  export interface ReadFileOptions {
    ignoreErrors?: boolean;
    untilTag?: string;
    includeUntilTagValue?: boolean;
    noCopy?: boolean;
    forceStoreRaw?: boolean;
  }

  export const data: {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: ReadFileOptions): DicomDictInstance;
    };
    DicomDict: new (meta: Record<string, unknown>) => DicomDictInstance;
    DicomMetaDictionary: {
      naturalizeDataset(ds: Record<string, unknown>): DicomDataset;
      denaturalizeDataset(ds: DicomDataset): Record<string, unknown>;
      uid(): string;
      date(): string;
      time(): string;
      punctuateTag(rawTag: string): string;
      unpunctuateTag(tag: string): string;
      dictionary: Record<string, { tag: string; vr: string; name: string; vm: string; version: string }>;
      nameMap: Record<string, { tag: string; vr: string; name: string; vm: string; version: string }>;
      sopClassNamesByUID: Record<string, string>;
      sopClassUIDsByName: Record<string, string>;
    };
    datasetToBuffer(ds: DicomDataset): Buffer;
    /** sRGB (0..1 per channel) ↔ DICOM-scaled CIELab (0..65535). */
    Colors: { rgb2DICOMLAB(rgb: number[]): number[]; dicomlab2RGB(lab: number[]): number[] };
    datasetToDict(ds: DicomDataset): DicomDictInstance;
  };

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped upstream class hierarchy; wrap before use
  export const derivations: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped upstream SR builders; wrap before use
  export const sr: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped upstream normalizers; wrap before use
  export const normalizers: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped upstream; wrap before use
  export const anonymizer: any;
  export const log: { setLevel(level: string): void };

  const dcmjs: {
    data: typeof data;
    derivations: typeof derivations;
    sr: typeof sr;
    normalizers: typeof normalizers;
    anonymizer: typeof anonymizer;
    log: typeof log;
  };
  export default dcmjs;
}
