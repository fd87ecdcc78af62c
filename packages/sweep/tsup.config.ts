import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tools/tsup.config';

export default defineConfig(libraryConfig({ platform: 'node' }));
