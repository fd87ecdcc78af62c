import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tools/tsup.config';

export default defineConfig(libraryConfig({ entry: { index: 'src/index.ts', main: 'src/main.ts' }, platform: 'node' }));
