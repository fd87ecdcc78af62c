import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tools/tsup.config';

export default defineConfig(libraryConfig({ entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' } }));
