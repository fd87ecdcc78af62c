export { describeSelectionStrategy, describeWeightSharingPolicy, expectNoTensorLeak, teacherAccuracy, teacherTask } from './conformance';
export type { SelectionConformanceOptions } from './conformance';
