/**
 * Joined roots: a distlog service called by a non-distlog OpenTelemetry peer
 * (no `distlog` tracestate member) opens its scope at path '' of the caller's
 * trace, with the caller's span as parentSpan. Two such calls in one trace give
 * two scopes at '' (and two '1', ...): their span ids tell them apart.
 *
 * A scope's event records (enter/exit/fail) carry its path and parentSpan, so
 * following parentSpan links from a span up to a scope at path '' tells the
 * namespace: that scope's span when it has a parent (a joined root), else ''
 * (the task's own root). A broken chain (a parent not seen yet, or a remote
 * call's fresh span id) counts as ''; records move when a link arrives.
 */
export class ScopeLinks {
  /** span -> parentSpan (null: none) from event records. */
  private readonly parentOf = new Map<string, string | null>();
  /** span -> path from event records. */
  private readonly pathOf = new Map<string, string>();
  /** Some scope at path '' has a parent span: namespaces are needed. */
  joined = false;

  /** Learns from an event record; true when it taught something new. */
  learn(span: string, path: string, parentSpan: string | undefined): boolean {
    let learnt = false;
    if (!this.pathOf.has(span)) {
      this.pathOf.set(span, path);
      learnt = true;
    }
    const known = this.parentOf.get(span);
    if (known === undefined || (known === null && parentSpan !== undefined)) {
      this.parentOf.set(span, parentSpan ?? null);
      learnt = true;
    }
    if (path === '' && parentSpan !== undefined) this.joined = true;
    return learnt;
  }

  /** The namespace of a span: a joined root's span id, or '' for the task's own tree. */
  namespaceOf(span: string): string {
    let s = span;
    for (let hops = 0; hops < 64; hops++) {
      const parent = this.parentOf.get(s);
      if (this.pathOf.get(s) === '') return parent ? s : '';
      if (!parent) return '';
      s = parent;
    }
    return '';
  }
}
