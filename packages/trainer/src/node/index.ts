export { createFileCheckpointStore } from './createFileCheckpointStore';
export { writeFileAtomic } from './writeFileAtomic';
export { writeMetricsLog } from './writeMetricsLog';
