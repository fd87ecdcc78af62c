import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The runnable examples of a package's README: every fenced block whose info string is
 * `ts example` (GitHub and npm render it as TypeScript). Other `ts` blocks are prose.
 */
export function readmeExamples(readme: string): string[] {
  return [...readme.matchAll(/^```ts example\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

/**
 * Runs each README example of the package a test file lives in, as a module inside the package
 * (so its imports resolve as a user's would, the package's own name included), on the backend
 * the test project chose. `testFileUrl` is the test's `import.meta.url`. Returns how many ran.
 */
export async function runReadmeExamples(testFileUrl: string): Promise<number> {
  const packageDir = join(dirname(fileURLToPath(testFileUrl)), '..');
  const examples = readmeExamples(readFileSync(join(packageDir, 'README.md'), 'utf8'));
  const dir = join(packageDir, '.readme-examples');
  mkdirSync(dir, { recursive: true });
  try {
    for (const [i, code] of examples.entries()) {
      const file = join(dir, `example-${process.env.SM_TEST_BACKEND ?? 'cpu'}-${process.pid}-${i}.ts`);
      writeFileSync(file, code);
      await import(/* @vite-ignore */ file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return examples.length;
}
