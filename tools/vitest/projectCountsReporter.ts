import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** Passed, failed and skipped tests of one project (one backend). */
export interface ProjectCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Writes `{ [project]: { passed, failed, skipped } }` to `file` at the end of a run: the counts per
 * backend .ci/run prints, which vitest's JSON report (one flat list of files) does not give.
 */
export function projectCountsReporter(file: string): Reporter {
  return {
    onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
      const counts: Record<string, ProjectCounts> = {};
      for (const module of testModules) {
        const entry = (counts[module.project.name] ??= { passed: 0, failed: 0, skipped: 0 });
        for (const test of module.children.allTests()) {
          const state = test.result().state;
          if (state === 'passed') entry.passed++;
          else if (state === 'failed') entry.failed++;
          else entry.skipped++;
        }
        // a file that fails before its tests run (an import error, a failing beforeAll) counts once
        if (module.state() === 'failed' && [...module.children.allTests('failed')].length === 0) entry.failed++;
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(counts, null, 2)}\n`);
    },
  };
}
