/** A page size within 1..500 (default 100), for the repositories' `page()` methods. */
export function pageSize(limit: number | undefined): number {
  return Math.min(500, Math.max(1, Math.trunc(limit ?? 100)));
}
