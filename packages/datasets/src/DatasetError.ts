import { createValidator, describe, type Validator } from '@slot-machines/core';

/** What went wrong, for code that wants to react to one kind of failure without parsing messages. */
export type DatasetErrorCode =
  /** A file's first bytes are not the format's magic number. */
  | 'bad-magic'
  /** A file holds fewer bytes than its header (or record size) says. */
  | 'truncated'
  /** A file holds more bytes than its header says. */
  | 'trailing-bytes'
  /** Compressed data that does not decompress. */
  | 'corrupt'
  /** An IDX type code outside 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E. */
  | 'unknown-type'
  /** Arrays that belong together disagree: a labels file with a different count than its images file, train and test shapes... */
  | 'mismatch'
  /** A label outside [0, numClasses). */
  | 'bad-label'
  /** A file or split that holds no examples (a 0-byte CIFAR-10 batch, an IDX file of 0 images). */
  | 'empty'
  /** A file a source needs is not there. */
  | 'missing-file'
  /** A downloaded file's SHA-256 is not the expected one. */
  | 'checksum'
  /** The network or the server failed: no connection, an HTTP error status, a body cut short. */
  | 'download'
  /** An option a caller got wrong. */
  | 'invalid-option';

/**
 * Thrown for bad input: a file that is not what it claims, a download that failed its checksum, an
 * option out of range. The message always starts with what is at fault (a file path, a URL or an
 * option name) and then says what was expected and what was found, e.g.
 * `/data/train-labels-idx1-ubyte: truncated: the header promises 60008 bytes, the file has 60000`.
 */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(
    readonly code: DatasetErrorCode,
    /** The file, URL or option at fault. */
    readonly subject: string,
    /** What is wrong with it. */
    readonly problem: string,
  ) {
    super(`${subject}: ${problem}`);
  }
}

/** A short, readable rendering of a received value for error messages (the core's). */
export { describe } from '@slot-machines/core';

/**
 * The core's validation checks ({@link createValidator}), throwing `DatasetError` with code
 * `invalid-option`: `batchSize: expected an integer >= 1, got 0`.
 */
export const validate: Validator = createValidator((field, expected, received) => new DatasetError('invalid-option', field, `expected ${expected}, got ${describe(received)}`));
