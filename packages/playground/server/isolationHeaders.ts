/**
 * The two headers that make a page cross-origin isolated (`crossOriginIsolated === true`), which
 * gives it SharedArrayBuffer and so WebAssembly threads. Every response of the page's origin
 * carries them: the document, its scripts, the worker scripts and the wasm binaries.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
