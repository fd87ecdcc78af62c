import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The unit tests run in Node, so nothing stops the sources from leaning on Node by accident: this does.
describe('runtime-web sources', () => {
  const dir = new URL('.', import.meta.url);
  const sources = readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));

  it.each(sources)('%s uses no Node module or global', (file) => {
    const code = readFileSync(new URL(file, dir), 'utf8');
    expect(code).not.toMatch(/from '(node:|fs|path|module|os|url|child_process)/);
    expect(code).not.toMatch(/\b(require\(|process\.|Buffer\b|__dirname|__filename)/);
  });
});
