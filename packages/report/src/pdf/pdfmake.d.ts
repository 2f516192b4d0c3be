/** Minimal typings for the pdfmake 0.3 server singleton (the package ships none). */
declare module 'pdfmake' {
  export type Content = unknown;
  export interface TDocumentDefinitions {
    content: Content;
    [key: string]: unknown;
  }
  export interface OutputDocument {
    getBuffer(): Promise<Buffer>;
  }
  export interface FontFiles {
    normal: string;
    bold: string;
    italics: string;
    bolditalics: string;
  }
  const pdfmake: {
    setFonts(fonts: Record<string, FontFiles>): void;
    setUrlAccessPolicy(callback: (url: string) => boolean): void;
    setLocalAccessPolicy(callback: (path: string) => boolean): void;
    createPdf(doc: TDocumentDefinitions, options?: Record<string, unknown>): OutputDocument;
  };
  export default pdfmake;
}
