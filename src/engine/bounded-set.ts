/**
 * A set that forgets its oldest entries past a capacity in entries and, for strings, in
 * characters, so session state stays bounded whatever size of id a peer sends. Forgetting
 * is safe only where the set is a memory kept for convenience (ids the shim answered, so a
 * late cancel is swallowed): an entry forgotten costs one forwarded cancel, never a check.
 */
export class BoundedSet<T> {
  private readonly items = new Set<T>();
  private bytes = 0;

  constructor(
    private readonly capacity: number,
    /** Characters the string entries may hold together. */
    private readonly maxBytes = 4 * 1024 * 1024,
  ) {}

  add(item: T): void {
    if (this.items.delete(item)) this.bytes -= sizeOf(item);
    // One entry larger than the whole allowance is not kept at all.
    if (sizeOf(item) > this.maxBytes) return;
    this.items.add(item);
    this.bytes += sizeOf(item);
    while (this.items.size > this.capacity || this.bytes > this.maxBytes) {
      const oldest = this.items.values().next();
      if (oldest.done) break;
      this.items.delete(oldest.value);
      this.bytes -= sizeOf(oldest.value);
    }
  }

  has(item: T): boolean {
    return this.items.has(item);
  }

  delete(item: T): boolean {
    const had = this.items.delete(item);
    if (had) this.bytes -= sizeOf(item);
    return had;
  }

  get size(): number {
    return this.items.size;
  }

  /** Characters the string entries hold. */
  get heldBytes(): number {
    return this.bytes;
  }
}

function sizeOf(item: unknown): number {
  return typeof item === 'string' ? item.length : 0;
}
