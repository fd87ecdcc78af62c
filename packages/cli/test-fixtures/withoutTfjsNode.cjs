// Preloaded with `node --require` by wasmFallback.test.ts: this process behaves as if
// @tensorflow/tfjs-node were not installed (CommonJS require and ES module import alike), so the
// CLI's default backend choice falls back to wasm on a machine that does have it.
const Module = require('node:module');
const blocked = (request) => request === '@tensorflow/tfjs-node' || request.startsWith('@tensorflow/tfjs-node/');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (blocked(request)) {
    const error = new Error(`Cannot find module '${request}' (hidden by withoutTfjsNode.cjs)`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolveFilename.call(this, request, ...rest);
};
const hook = `export async function resolve(specifier, context, next) {
  if (specifier === '@tensorflow/tfjs-node' || specifier.startsWith('@tensorflow/tfjs-node/')) {
    const error = new Error("Cannot find package '" + specifier + "' (hidden by withoutTfjsNode.cjs)");
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`;
Module.register(`data:text/javascript,${encodeURIComponent(hook)}`);
