import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError, PortalSchemas, dataOf, portal } from '../api/client';

export type CurrentPerson = PortalSchemas['schemas']['CurrentPersonDto'];

export const ME_QUERY_KEY = ['me'] as const;

/** The signed-in person, or null when nobody is (the API answers 401). */
export const currentPersonQuery = queryOptions({
  queryKey: ME_QUERY_KEY,
  queryFn: async (): Promise<CurrentPerson | null> => {
    try {
      return dataOf(await portal.GET('/api/v1/auth/me'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
});

export function useCurrentPerson() {
  return useQuery(currentPersonQuery);
}

/** Access tokens last minutes: the session's refresh token renews the cookies well before they expire. */
export function useSessionRenewal(signedIn: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!signedIn) return;
    const timer = window.setInterval(
      () => {
        void portal.POST('/api/v1/auth/refresh', { body: {} }).then(({ response }) => {
          if (response.status === 401) void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
        });
      },
      10 * 60 * 1000,
    );
    return () => window.clearInterval(timer);
  }, [signedIn, queryClient]);
}
