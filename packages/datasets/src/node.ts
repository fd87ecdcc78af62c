// The Node half: file-system and network sources (node:fs, node:zlib, node:crypto, fetch).
// The parsers, batches and the rest live in the platform-neutral `@slot-machines/datasets`.
export { readIdxFile } from './node/readIdxFile';
export { gunzipIfNeeded } from './node/gunzipIfNeeded';
export { loadMnistFromDirectory } from './node/loadMnistFromDirectory';
export { bundledMnistDir, loadBundledMnist } from './node/loadBundledMnist';
export { downloadMnist, defaultMnistCacheDir } from './node/downloadMnist';
export type { DownloadMnistOptions, DownloadMnistResult, DownloadedMnistFile } from './node/downloadMnist';
export { loadMnist } from './node/loadMnist';
export type { MnistSource } from './node/loadMnist';
export { loadCifar10, readCifar10Batch } from './node/loadCifar10';
