/** Requests seen under /api/v4, by route template (`GET /projects/:id/remote_mirrors`). */
export class RequestCounters {
  private total = 0;
  private readonly routes = new Map<string, number>();

  count(routeKey: string): void {
    this.total += 1;
    this.routes.set(routeKey, (this.routes.get(routeKey) ?? 0) + 1);
  }

  snapshot(): { total: number; routes: Record<string, number> } {
    const routes: Record<string, number> = {};
    for (const key of [...this.routes.keys()].sort()) routes[key] = this.routes.get(key)!;
    return { total: this.total, routes };
  }

  reset(): void {
    this.total = 0;
    this.routes.clear();
  }
}
