import { beforeAll } from 'vitest';
import { setTestBackend } from '@slot-machines/test-utils';

beforeAll(async () => {
  await setTestBackend(process.env.SM_TEST_BACKEND ?? 'cpu');
});
