/**
 * What one inspector reuses from call to call, so that an ordinary call makes almost nothing
 * of its own: the work budget, the normaliser's lists, the memo of each string's kinds, the
 * context the detectors are given and the charged contexts of those charged per string.
 * One call holds it at a time (inspect.ts takes it and puts it back); at the end of a call it
 * lets go of everything of that call, so an argument of megabytes is not kept alive by it.
 */
import { StepBudget } from './budget.js';
import { ChargedContext } from './detector-cost.js';
import { KindsMemo } from './kinds-memo.js';
import { Normalizer } from './normalize/index.js';
import type { Finding, InspectContext, NetworkContext, PathContext } from './types.js';

const NO_PATHS: PathContext = { roots: [], deny: [], cwd: '', home: '', realpath: () => undefined };
const NO_NETWORK: NetworkContext = { allowHosts: [], denyHosts: [] };

export class CallScratch {
  readonly budget = new StepBudget('inspection');
  readonly normalizer = new Normalizer();
  readonly kinds = new KindsMemo();
  /** The detectors' context, its fields set for each call (contextFor). */
  private readonly context: InspectContext = { tool: '', kindsOf: this.kinds.of, paths: NO_PATHS, network: NO_NETWORK, enough: undefined, spend: this.budget.spend };
  // Per detector (by its place in the inspector's list), its charged context, made when first needed.
  private readonly charged: Array<ChargedContext | undefined> = [];

  /** The detectors' context for a call of `tool`. */
  contextFor(tool: string, paths: PathContext, network: NetworkContext, enough: ((finding: Finding) => boolean) | undefined): InspectContext {
    const context = this.context;
    context.tool = tool;
    context.paths = paths;
    context.network = network;
    context.enough = enough;
    return context;
  }

  /** The charged context kept for detector `d` (chargedContext starts it afresh). */
  chargedAt(d: number): ChargedContext {
    let charged = this.charged[d];
    if (charged === undefined) {
      while (this.charged.length < d) this.charged.push(undefined);
      this.charged[d] = charged = new ChargedContext();
    }
    return charged;
  }

  /** Let go of everything of the call (its strings, the inspector's contexts, the clock). */
  release(): void {
    this.budget.release();
    this.normalizer.release();
    this.kinds.release();
    this.contextFor('', NO_PATHS, NO_NETWORK, undefined);
    for (let d = 0; d < this.charged.length; d++) this.charged[d]?.release();
  }
}
