import { argmaxSelection, noSharing } from '@slot-machines/core';
import { describeSelectionStrategy, describeWeightSharingPolicy } from './index';

// the suites themselves, on core's own argmax choice and its default sharing
describeSelectionStrategy('core argmax', () => ({ id: 'argmax', select: (scores) => argmaxSelection(scores) }));
describeWeightSharingPolicy('core none', () => noSharing);
