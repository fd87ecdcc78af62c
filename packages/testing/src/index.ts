export { describeSelectionStrategy, describeWeightSharingPolicy, expectNoTensorLeak, networkSettings, teacherAccuracy, teacherTask } from './conformance';
export type { SelectionConformanceOptions } from './conformance';
