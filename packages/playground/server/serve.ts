// Serves the built demo (packages/playground/dist) on 127.0.0.1 with the COOP/COEP headers that
// enable WebAssembly threads.
//
//   pnpm --filter @slot-machines/playground serve [--port 8080] [--not-isolated] [--block-wasm]
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startStaticServer } from './staticServer';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    'not-isolated': { type: 'boolean', default: false },
    'block-wasm': { type: 'boolean', default: false },
  },
});
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`serve: ${dist}/index.html is missing: build the demo first (npx pnpm@10.34.8 --filter @slot-machines/playground... run build)`);
  process.exit(1);
}
const server = await startStaticServer({ root: dist, port: Number(values.port), isolated: !values['not-isolated'], ...(values['block-wasm'] ? { block: /\.wasm$/ } : {}) });
console.log(`serving ${dist} at ${server.url} (${values['not-isolated'] ? 'not isolated: one wasm thread' : 'cross-origin isolated: wasm threads'}${values['block-wasm'] ? ', .wasm blocked' : ''}); Ctrl-C stops`);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
