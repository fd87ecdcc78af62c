import { expect, it } from 'vitest';
import { runReadmeExamples } from '@slot-machines/test-utils';

it('runs the README example', async () => {
  expect(await runReadmeExamples(import.meta.url)).toBeGreaterThan(0);
});
