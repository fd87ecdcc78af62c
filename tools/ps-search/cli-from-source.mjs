// The slot-machines CLI from the TypeScript sources (no build): node --conditions=source --import tsx cli-from-source.mjs ARGS
const { main } = await import('../../packages/cli/src/main.ts');
process.exitCode = await main(process.argv.slice(2));
