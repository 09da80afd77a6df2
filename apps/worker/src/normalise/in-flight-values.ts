/** What a job learns when it registers: the earlier jobs it shares values with, and which values those are. */
export interface InFlightRegistration {
  dependsOn: string[];
  shared: ReadonlySet<string>;
}

/**
 * The values each normalisation running in this process is writing. A job registers its values once its
 * transaction holds its own advisory lock; a later job that shares values with it then knows, before taking any
 * lock, which of its values to leave for after that job has finished, and which jobs to wait for.
 */
export class InFlightValues {
  private readonly holders = new Map<string, Set<string>>();
  private readonly valuesOf = new Map<string, readonly string[]>();

  register(jobId: string, valueIds: readonly string[]): InFlightRegistration {
    if (this.valuesOf.has(jobId)) throw new Error(`Job ${jobId} is already registered`);
    const dependsOn = new Set<string>();
    const shared = new Set<string>();
    for (const valueId of valueIds) {
      const holders = this.holders.get(valueId);
      if (holders === undefined) {
        this.holders.set(valueId, new Set([jobId]));
        continue;
      }
      shared.add(valueId);
      for (const holder of holders) dependsOn.add(holder);
      holders.add(jobId);
    }
    this.valuesOf.set(jobId, valueIds);
    return { dependsOn: [...dependsOn].sort(), shared };
  }

  release(jobId: string): void {
    for (const valueId of this.valuesOf.get(jobId) ?? []) {
      const holders = this.holders.get(valueId);
      holders?.delete(jobId);
      if (holders?.size === 0) this.holders.delete(valueId);
    }
    this.valuesOf.delete(jobId);
  }

  get size(): number {
    return this.valuesOf.size;
  }
}
