import * as tf from '@tensorflow/tfjs-core';

/**
 * Throws unless exactly one TensorFlow.js engine is in use and it runs `backend`: the engine this
 * `@tensorflow/tfjs-core` returns is the global one every copy of tfjs-core shares (`_tfengine`), and
 * its backend registry holds the active backend. Cheap; `initRuntime` calls it last.
 */
export function assertSingleEngine(backend: string): void {
  const engine = tf.engine();
  const globalEngine = (globalThis as { _tfengine?: unknown })._tfengine;
  if (globalEngine !== engine) {
    throw new Error('slot-machines: more than one TensorFlow.js engine exists: install exactly one @tensorflow/tfjs-core (npm ls @tensorflow/tfjs-core)');
  }
  if (engine.backendName !== backend || tf.findBackend(backend) !== engine.backend) {
    throw new Error(`slot-machines: backend '${backend}' was started but the engine runs '${engine.backendName}'`);
  }
}
