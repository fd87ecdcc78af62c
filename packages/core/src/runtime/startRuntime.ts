import { assertSingleEngine } from './assertSingleEngine';
import type { GradientSource } from './registerGradients';
import { registerGradients } from './registerGradients';
import type { BackendFailed, BackendStart, BackendStarted } from './startBackend';

/** What a host adapter's `initRuntime` asks the shared start-up for. */
export interface RuntimePlan<Name extends string> {
  /** `'auto'`: the first of `order` that starts; a name: that backend or an error. */
  readonly preference: 'auto' | Name;
  /** The host's backends, fastest first. */
  readonly order: readonly Name[];
  /** Starts one backend, the host's way. */
  start(backend: Name): Promise<BackendStart<Name>>;
  /** Where tfjs-core's gradients come from (the host). */
  readonly gradients: GradientSource;
  /** Added to the error when a backend asked for by name did not start, e.g. how to install it. */
  advice?(skipped: readonly BackendFailed[]): string | undefined;
}

/** The backend that started and the faster ones `'auto'` passed over, with why. */
export interface RuntimeStart<Name extends string> {
  readonly started: BackendStarted<Name>;
  readonly skipped: readonly BackendFailed[];
}

/**
 * The start-up every runtime shares: tries the candidate backends in order, registers tfjs-core's
 * gradients, and checks that one engine runs the backend it started. Creates no tensors.
 *
 * @throws `initRuntime: backend 'x' was requested but <why>` or `initRuntime: no backend could be started: <why>; <why>`.
 */
export async function startRuntime<Name extends string>(plan: RuntimePlan<Name>): Promise<RuntimeStart<Name>> {
  const candidates = plan.preference === 'auto' ? plan.order : [plan.preference];
  const skipped: BackendFailed[] = [];
  for (const candidate of candidates) {
    const result = await plan.start(candidate);
    if (result.ok) {
      await registerGradients(plan.gradients);
      assertSingleEngine(result.backend);
      return { started: result, skipped };
    }
    skipped.push(result);
  }
  const why = skipped.map((s) => s.why).join('; ');
  if (plan.preference === 'auto') throw new Error(`initRuntime: no backend could be started: ${why}`);
  const advice = plan.advice?.(skipped);
  throw new Error(`initRuntime: backend '${plan.preference}' was requested but ${why}${advice ? `. ${advice}` : ''}`);
}
