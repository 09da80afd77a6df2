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

/** The badge colour of each report status, wherever a status is shown. */
export const REPORT_STATUS_COLOURS = { received: 'blue', normalised: 'green', failed: 'red' } as const;
