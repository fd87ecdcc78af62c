import { describe, expect, it } from 'vitest';
import { MissingGradientsError, requireGradients } from './requireGradients';

describe('requireGradients', () => {
  it('passes where tfjs-core registered its gradients (every test backend does)', () => {
    expect(() => requireGradients()).not.toThrow();
  });

  it('names the fix when they are missing (plain Node without a runtime; the release rehearsal hits it for real)', () => {
    const error = new MissingGradientsError(['RealDiv']);
    expect(error.message).toMatch(/^training needs tfjs-core's gradients, and none are registered for RealDiv\./);
    expect(error.message).toContain('initRuntime()');
    expect(error.message).toContain('@slot-machines/runtime-node');
  });
});
