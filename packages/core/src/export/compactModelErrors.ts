/**
 * Any problem with a compact slot model file. The message starts with the file's name (`source`),
 * then says what is wrong. The subclasses name the cases a program may want to tell apart.
 */
export class CompactModelError extends Error {
  override readonly name: string = 'CompactModelError';
  constructor(
    /** The file (or whatever the bytes came from) the problem is in. */
    readonly source: string,
    /** What is wrong, without the source. */
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
  }
}

/** The file ends before the length its own header gives (an interrupted download or copy). */
export class CompactModelTruncatedError extends CompactModelError {
  override readonly name = 'CompactModelTruncatedError';
  constructor(
    source: string,
    /** Bytes the file has. */
    readonly actualBytes: number,
    /** Bytes it should have (at least). */
    readonly expectedBytes: number,
  ) {
    super(source, `truncated: ${actualBytes} bytes, expected ${expectedBytes}`);
  }
}

/** The bytes changed after writing (the file's CRC-32 does not match), or a field holds an impossible value. */
export class CompactModelCorruptedError extends CompactModelError {
  override readonly name = 'CompactModelCorruptedError';
  constructor(source: string, problem: string) {
    super(source, `corrupted: ${problem}`);
  }
}

/** A format version this reader does not know (a file from a newer release). */
export class CompactModelVersionError extends CompactModelError {
  override readonly name = 'CompactModelVersionError';
  constructor(
    source: string,
    readonly version: number,
    readonly supported: readonly number[],
  ) {
    super(source, `compact model format version ${version}; this reader knows version ${supported.join(', ')} (a newer @slot-machines/core may read it)`);
  }
}

/**
 * The options regenerated from the stored seed and generator, gathered at the stored indices, do
 * not give the weights the file was written with: the option generator here differs from the
 * writer's (another version of core or of the weight-sharing plugin, or a policy that is not
 * reproducible from its seed).
 */
export class CompactModelChecksumError extends CompactModelError {
  override readonly name = 'CompactModelChecksumError';
  constructor(
    source: string,
    /** The slot layer whose weights differ. */
    readonly layer: string,
    /** CRC-32 of the writer's weights (8 hex digits). */
    readonly expected: string,
    /** CRC-32 of the regenerated weights. */
    readonly actual: string,
    generator: string,
  ) {
    super(
      source,
      `layer '${layer}': the weights regenerated from ${generator} have CRC-32 ${actual}, the file records ${expected}: ` +
        'this option generator differs from the one that wrote the file (another version of @slot-machines/core or of the weight-sharing plugin?)',
    );
  }
}
