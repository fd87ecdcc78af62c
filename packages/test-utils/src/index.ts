export { setTestBackend, tensorflowAvailable, testBackend } from './setTestBackend';
export { expectNoTensorLeak } from './expectNoTensorLeak';
export { maxAbsDiff } from './maxAbsDiff';
export { readmeExamples, runReadmeExamples } from './readmeExamples';
export { redisServerAvailable, startRedisServer } from './redisServer';
export type { TestRedis } from './redisServer';
export { trainingGradients } from './trainingGradients';
