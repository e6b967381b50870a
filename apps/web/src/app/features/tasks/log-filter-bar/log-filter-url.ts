// Keeps a log view's filter (and the `?seq=` of a linked line) in the URL, so a view can be shared
// and survives a reload. Provided per component that shows a log.
import { Injectable, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, type Params } from '@angular/router';
import { filterFromParams, filterToParams, sameFilter, type LogFilter } from './log-filter';

const NO_PARAMS: Params = {};

@Injectable()
export class LogFilterUrl {
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly params = toSignal(this.route.queryParams, { initialValue: NO_PARAMS });

  readonly filter = computed<LogFilter>(() => filterFromParams(this.params()), {
    equal: sameFilter,
  });
  /** The line a shared link points at, if any. */
  readonly seq = computed<number | null>(() => {
    const seq = Number(this.params()['seq']);
    return Number.isInteger(seq) && seq > 0 ? seq : null;
  });

  /** Puts a new filter in the URL (dropping a linked line, which may not match it). */
  set(filter: LogFilter): Promise<boolean> {
    return this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { ...filterToParams(filter), seq: null },
      queryParamsHandling: 'merge',
    });
  }

  /** Points the URL at one line, keeping the filter. */
  goTo(seq: number): Promise<boolean> {
    return this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { seq },
      queryParamsHandling: 'merge',
    });
  }

  /** This view's URL under the current filter, without a line: built once per filter, not per row. */
  private readonly base = computed(() =>
    this.router.serializeUrl(
      this.router.createUrlTree([], {
        relativeTo: this.route,
        queryParams: { ...filterToParams(this.filter()), seq: null },
        queryParamsHandling: 'merge',
      }),
    ),
  );

  /** A link to one line under the current filter. */
  linkTo(seq: number): string {
    const base = this.base();
    return `${base}${base.includes('?') ? '&' : '?'}seq=${seq}`;
  }
}
