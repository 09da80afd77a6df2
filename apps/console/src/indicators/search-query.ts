import { infiniteQueryOptions } from '@tanstack/react-query';
import { dataOf, portal } from '../api/client';

/** The API pages at most 100; the search list fetches the next page as it is scrolled. */
export const SEARCH_PAGE_SIZE = 100;

export interface SearchFilters {
  q?: string;
  type: string[];
}

/** The filters of a search page address (they live in the URL, so a search can be shared). */
export function searchFiltersOf(params: URLSearchParams): SearchFilters {
  return { q: params.get('q') ?? undefined, type: params.getAll('type') };
}

/** Indicator search paged by cursor: the search page's query, and the prefetch that starts it beside sign-in. */
export const indicatorSearchQuery = (filters: SearchFilters) =>
  infiniteQueryOptions({
    queryKey: ['indicators', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await portal.GET('/api/v1/indicators', {
          params: {
            query: {
              ...(filters.q ? { q: filters.q } : {}),
              ...(filters.type.length ? { type: filters.type } : {}),
              limit: SEARCH_PAGE_SIZE,
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // The page opened directly finds its prefetched first results fresh: shown, not asked for twice.
    staleTime: 10_000,
  });
