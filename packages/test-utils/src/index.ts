export { setTestBackend, tensorflowAvailable, testBackend } from './setTestBackend';
export { expectNoTensorLeak } from './expectNoTensorLeak';
export { maxAbsDiff } from './maxAbsDiff';
export { readmeExamples, runReadmeExamples } from './readmeExamples';
export { trainingGradients } from './trainingGradients';
