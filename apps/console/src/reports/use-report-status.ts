import { useQuery } from '@tanstack/react-query';
import { dataOf, ingest } from '../api/client';

/** A submitted report's status from ingest, polled every second until it is normalised or failed. */
export function useReportStatus(id: string) {
  return useQuery({
    queryKey: ['report-status', id],
    queryFn: async () => dataOf(await ingest.GET('/api/v1/reports/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data && query.state.data.status !== 'received' ? false : 1000),
  });
}
