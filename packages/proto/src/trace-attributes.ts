// Record attributes that carry meaning from the agent to the collector, named once.

/**
 * Set to "thread" on a call whose parent the agent read from the thread that
 * made it (thread-per-request servers): the parent is inferred, not propagated.
 */
export const PARENT_INFERRED_ATTRIBUTE = "trace.parent_inferred";
