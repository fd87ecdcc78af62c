// TypeDoc plugin: names each entry point's module after the package export it documents
// (packages/core/src/index.ts -> @slot-machines/core, datasets/src/node.ts -> @slot-machines/datasets/node,
// core/src/runtime/index.ts -> @slot-machines/core/runtime)
// instead of its path. No import of typedoc: it is installed outside the repository (tools/reference).
/** @param {{ converter: { on(event: string, listener: (context: { project: { children?: { name: string }[] } }) => void): void } }} app */
export function load(app) {
  app.converter.on('resolveBegin', (context) => {
    for (const module of context.project.children ?? []) {
      const match = /^([\w-]+)\/src(?:\/(node|runtime))?(?:\/index)?$/.exec(module.name);
      if (match) module.name = `@slot-machines/${match[1]}${match[2] ? `/${match[2]}` : ''}`;
    }
  });
}
