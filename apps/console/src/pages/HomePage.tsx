import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { IngestSchemas, dataOf, ingest, portal } from '../api/client';
import { formatDateTime } from '../i18n';
import { REPORT_STATUS_COLOURS } from '../reports/use-report-status';

interface Warning {
  id: string;
  created_at: string;
  report: { title: string; severity: string; tlp: string; reporter: { name: string } };
  indicators: { type: string; value: string }[];
}

const SHOWN_WARNINGS = 50;

/** Warnings for the organisation as they arrive (SSE `/api/v1/stream`; the browser reconnects and resumes). */
function useLiveWarnings(): { warnings: Warning[]; connected: boolean } {
  const [warnings, setWarnings] = useState<Warning[]>([]);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource('/api/v1/stream');
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener('indicator.warning', (event) => {
      const warning = JSON.parse((event as MessageEvent<string>).data) as Warning;
      setWarnings((shown) => [warning, ...shown].slice(0, SHOWN_WARNINGS));
    });
    return () => source.close();
  }, []);
  return { warnings, connected };
}

type OwnReport = IngestSchemas['schemas']['ReportListItemDto'];
const REPORTS_PAGE = 10;

/**
 * The organisation's own reports, newest first (ingest's list, forwarded by the portal), a page at a time; refreshed
 * every few seconds while one shown is still being normalised.
 */
function MyRecentReports() {
  const { t } = useTranslation();
  const reports = useInfiniteQuery({
    queryKey: ['my-reports'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await ingest.GET('/api/v1/reports', {
          params: { query: { limit: REPORTS_PAGE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((report) => report.status === 'received')) ? 3000 : false,
  });
  const rows: OwnReport[] = reports.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {t('analyst.recentReports')}
      </Title>
      {reports.error && <Text>{reports.error.message}</Text>}
      {reports.isPending && <Text>{t('common.loading')}</Text>}
      {reports.data && rows.length === 0 && <Text>{t('home.noReports')}</Text>}
      {rows.length > 0 && (
        <Table data-testid="my-reports">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('report.title')}</Table.Th>
              <Table.Th>{t('analyst.received')}</Table.Th>
              <Table.Th>{t('home.status')}</Table.Th>
              <Table.Th>TLP</Table.Th>
              <Table.Th>{t('analyst.counts')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((report) => (
              <Table.Tr key={report.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/reports/${report.id}`}>
                    {report.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>{formatDateTime(report.received_at)}</Table.Td>
                <Table.Td>
                  <Badge color={REPORT_STATUS_COLOURS[report.status]}>{t(`reportStatus.${report.status}`)}</Badge>
                </Table.Td>
                <Table.Td>{report.tlp.toUpperCase()}</Table.Td>
                <Table.Td>
                  {t('analyst.countsValue', { accepted: report.counts.accepted, skipped: report.counts.skipped })}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {reports.hasNextPage && (
        <Button
          variant="subtle"
          mt="sm"
          loading={reports.isFetchingNextPage}
          onClick={() => void reports.fetchNextPage()}
        >
          {t('analyst.moreReports')}
        </Button>
      )}
    </Card>
  );
}

const TODAY_SHOWN = 10;

/** What the network reported since midnight (the user's), newest first; only the rows shown are fetched. */
function ReportedToday() {
  const { t } = useTranslation();
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const today = useQuery({
    queryKey: ['reported-today', midnight.toISOString()],
    queryFn: async () =>
      dataOf(
        await portal.GET('/api/v1/indicators', {
          params: { query: { last_seen_from: midnight.toISOString(), sort: 'last_seen', limit: TODAY_SHOWN } },
        }),
      ),
    refetchInterval: 60_000,
  });
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {t('home.today')}
      </Title>
      {today.error && <Text>{today.error.message}</Text>}
      {today.data && today.data.items.length === 0 && <Text>{t('home.nothingToday')}</Text>}
      {today.data && today.data.items.length > 0 && (
        <Table>
          <Table.Tbody>
            {today.data.items.map((indicator) => (
              <Table.Tr key={indicator.id}>
                <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                  <Anchor component={Link} to={`/indicators/${indicator.id}`}>
                    {indicator.value}
                  </Anchor>
                </Table.Td>
                <Table.Td>{indicator.type}</Table.Td>
                <Table.Td>{indicator.reported_by.map((organisation) => organisation.name).join(', ')}</Table.Td>
                <Table.Td>{formatDateTime(indicator.last_seen)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

export default function HomePage() {
  const { t } = useTranslation();
  const { warnings, connected } = useLiveWarnings();
  return (
    <Stack>
      <Title order={2}>{t('home.title')}</Title>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <MyRecentReports />
        <Card withBorder>
          <Group justify="space-between" mb="sm">
            <Title order={3} size="h4">
              {t('home.warnings')}
            </Title>
            <Badge color={connected ? 'green' : 'gray'}>{connected ? t('home.live') : t('home.offline')}</Badge>
          </Group>
          {warnings.length === 0 ? (
            <Text>{t('home.noWarnings')}</Text>
          ) : (
            <Stack gap="xs" aria-live="polite">
              {warnings.map((warning) => (
                <Card key={warning.id} withBorder padding="xs">
                  <Text fw={600}>{warning.report.title}</Text>
                  <Text size="sm">
                    {warning.report.reporter.name} · {warning.report.severity} · TLP:{warning.report.tlp.toUpperCase()}{' '}
                    · {formatDateTime(warning.created_at)}
                  </Text>
                  <Text size="sm">{warning.indicators.map((indicator) => indicator.value).join(', ')}</Text>
                </Card>
              ))}
            </Stack>
          )}
        </Card>
        <ReportedToday />
      </SimpleGrid>
    </Stack>
  );
}
