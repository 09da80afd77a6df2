import { Alert, Badge, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { PortalSchemas, dataOf, portal } from '../api/client';
import { ChartFigure, SERIES_COLOURS } from '../components/ChartFigure';
import { formatDateTime } from '../i18n';

type Health = PortalSchemas['schemas']['NetworkHealthDto'];

const CHART_HEIGHT = 260;
/** Recharts' own keyboard layer makes the drawing focusable; the figure's table is the accessible form instead. */
const CHART_PROPS = { accessibilityLayer: false } as const;

/** Every UTC day of the period, oldest first, so days without reports show as gaps rather than vanish. */
function daysOf(health: Health): string[] {
  const days: string[] = [];
  const end = new Date(health.generated_at);
  for (let day = new Date(health.since); day <= end; day = new Date(day.getTime() + 24 * 3600_000)) {
    days.push(day.toISOString().slice(0, 10));
  }
  return days;
}

/** One row per day, one column per organisation (`o0`, `o1`...): what stacked bars draw. */
function perDay(health: Health, figure: 'reports' | 'indicators') {
  const organisations = [...new Map(health.submissions.map((s) => [s.organisation_id, s.organisation_name]))];
  const rows = daysOf(health).map((day) => {
    const row: Record<string, string | number> = { day: day.slice(5) };
    organisations.forEach(([id], index) => {
      row[`o${index}`] = health.submissions.find((s) => s.day === day && s.organisation_id === id)?.[figure] ?? 0;
    });
    return row;
  });
  return { organisations, rows };
}

/** The coordinator's view of the network: members, activity, correlation, webhook deliveries and queues. */
export default function NetworkHealthPage() {
  const { t } = useTranslation();
  const health = useQuery({
    queryKey: ['network-health'],
    queryFn: async () => dataOf(await portal.GET('/api/v1/network/health')),
    refetchInterval: 60_000,
  });
  if (health.error) return <Alert color="red">{health.error.message}</Alert>;
  if (!health.data) return <Loader aria-label={t('common.loading')} />;
  const data = health.data;
  const statusRows = data.members.by_status.map((s) => ({
    label: t(`networkHealth.statuses.${s.status}`),
    count: s.count,
  }));
  const countryRows = data.members.by_country.map((c) => ({ label: c.country ?? '—', count: c.count }));
  const reports = perDay(data, 'reports');
  const indicators = perDay(data, 'indicators');
  const totalReports = data.submissions.reduce((sum, s) => sum + s.reports, 0);
  const totalIndicators = data.submissions.reduce((sum, s) => sum + s.indicators, 0);
  const deliveryRows = data.deliveries.map((d) => ({
    label: d.organisation_name,
    rate: d.success_rate === null ? 0 : Math.round(d.success_rate * 100),
    average: d.average_latency_ms ?? 0,
    p95: d.p95_latency_ms ?? 0,
  }));
  const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)} %`);
  const ms = (value: number | null) => (value === null ? '—' : `${value} ms`);
  const queueRows = (data.queues ?? []).map((q) => ({ ...q, label: t(`networkHealth.queueNames.${q.queue}`) }));
  const states = ['waiting', 'active', 'delayed', 'failed'] as const;

  const submissionTable = (figure: 'reports' | 'indicators') => ({
    headers: [t('networkHealth.day'), t('networkHealth.organisation'), t(`networkHealth.${figure}Column`)],
    rows: data.submissions.map((s) => [s.day, s.organisation_name, s[figure]]),
  });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('networkHealth.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('networkHealth.period', { days: data.period_days, at: formatDateTime(data.generated_at) })}
        </Text>
      </Group>

      <Title order={3} size="h4">
        {t('networkHealth.members')}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ChartFigure
          title={t('networkHealth.byStatus')}
          summary={t('networkHealth.byStatusSummary', {
            total: data.members.total,
            list: statusRows.map((r) => `${r.label}: ${r.count}`).join(', '),
          })}
          table={{
            headers: [t('networkHealth.status'), t('networkHealth.count')],
            rows: statusRows.map((r) => [r.label, r.count]),
          }}
          empty={t('networkHealth.nothing')}
        >
          <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
            <BarChart data={statusRows} {...CHART_PROPS}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="count" name={t('networkHealth.count')} fill={SERIES_COLOURS[0]} />
            </BarChart>
          </ResponsiveContainer>
        </ChartFigure>
        <ChartFigure
          title={t('networkHealth.byCountry')}
          summary={t('networkHealth.byCountrySummary', {
            list: countryRows.map((r) => `${r.label}: ${r.count}`).join(', '),
          })}
          table={{
            headers: [t('networkHealth.country'), t('networkHealth.count')],
            rows: countryRows.map((r) => [r.label, r.count]),
          }}
          empty={t('networkHealth.nothing')}
        >
          <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
            <BarChart data={countryRows} {...CHART_PROPS}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="count" name={t('networkHealth.count')} fill={SERIES_COLOURS[2]} />
            </BarChart>
          </ResponsiveContainer>
        </ChartFigure>
      </SimpleGrid>

      <Title order={3} size="h4">
        {t('networkHealth.activity', { days: data.period_days })}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {(
          [
            [t('networkHealth.reportsPerDay'), 'reports', reports, totalReports],
            [t('networkHealth.indicatorsPerDay'), 'indicators', indicators, totalIndicators],
          ] as const
        ).map(([title, figure, series, total]) => (
          <ChartFigure
            key={title}
            title={title}
            summary={t('networkHealth.perDaySummary', {
              figure: t(`networkHealth.${figure}`),
              total,
              organisations: series.organisations.length,
            })}
            table={submissionTable(figure)}
            empty={t('networkHealth.nothing')}
          >
            <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
              <BarChart data={series.rows} {...CHART_PROPS}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" interval="preserveStartEnd" />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                {series.organisations.map(([id, name], index) => (
                  <Bar
                    key={id}
                    dataKey={`o${index}`}
                    name={name}
                    stackId="organisations"
                    fill={SERIES_COLOURS[index % SERIES_COLOURS.length]}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </ChartFigure>
        ))}
      </SimpleGrid>

      <Title order={3} size="h4">
        {t('networkHealth.correlated')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('networkHealth.correlatedHint')}
      </Text>
      {data.top_correlated.length === 0 ? (
        <Text>{t('networkHealth.noCorrelation')}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('networkHealth.value')}</Table.Th>
              <Table.Th>{t('networkHealth.type')}</Table.Th>
              <Table.Th>{t('networkHealth.organisations')}</Table.Th>
              <Table.Th>{t('networkHealth.reportsColumn')}</Table.Th>
              <Table.Th>{t('networkHealth.lastSeen')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.top_correlated.map((value) => (
              <Table.Tr key={`${value.type}:${value.value}`}>
                <Table.Td>
                  <Text ff="monospace" size="sm">
                    {value.value}
                  </Text>
                </Table.Td>
                <Table.Td>{value.type}</Table.Td>
                <Table.Td>{value.organisations}</Table.Td>
                <Table.Td>{value.reports}</Table.Td>
                <Table.Td>{formatDateTime(value.last_seen)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Title order={3} size="h4">
        {t('networkHealth.deliveries')}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ChartFigure
          title={t('networkHealth.successRate')}
          summary={t('networkHealth.successSummary', {
            list: data.deliveries.map((d) => `${d.organisation_name}: ${percent(d.success_rate)}`).join(', '),
          })}
          table={{
            headers: [
              t('networkHealth.organisation'),
              t('networkHealth.successRate'),
              t('networkHealth.delivered'),
              t('networkHealth.dead'),
              t('networkHealth.open'),
            ],
            rows: data.deliveries.map((d) => [
              d.organisation_name,
              percent(d.success_rate),
              d.delivered,
              d.dead,
              d.open,
            ]),
          }}
          empty={t('networkHealth.noDeliveries')}
        >
          <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
            <BarChart data={deliveryRows} {...CHART_PROPS}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis domain={[0, 100]} unit=" %" />
              <Tooltip />
              <Bar dataKey="rate" name={t('networkHealth.successRate')} fill={SERIES_COLOURS[2]} unit=" %" />
            </BarChart>
          </ResponsiveContainer>
        </ChartFigure>
        <ChartFigure
          title={t('networkHealth.latency')}
          summary={t('networkHealth.latencySummary', {
            list: data.deliveries
              .map((d) => `${d.organisation_name}: ${ms(d.average_latency_ms)} / ${ms(d.p95_latency_ms)}`)
              .join(', '),
          })}
          table={{
            headers: [
              t('networkHealth.organisation'),
              t('networkHealth.attempts'),
              t('networkHealth.average'),
              t('networkHealth.p95'),
            ],
            rows: data.deliveries.map((d) => [
              d.organisation_name,
              d.attempts,
              ms(d.average_latency_ms),
              ms(d.p95_latency_ms),
            ]),
          }}
          empty={t('networkHealth.noDeliveries')}
        >
          <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
            <BarChart data={deliveryRows} {...CHART_PROPS}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis unit=" ms" />
              <Tooltip />
              <Legend />
              <Bar dataKey="average" name={t('networkHealth.average')} fill={SERIES_COLOURS[0]} unit=" ms" />
              <Bar dataKey="p95" name={t('networkHealth.p95')} fill={SERIES_COLOURS[1]} unit=" ms" />
            </BarChart>
          </ResponsiveContainer>
        </ChartFigure>
      </SimpleGrid>

      <Title order={3} size="h4">
        {t('networkHealth.queues')}
      </Title>
      {data.queues === null ? (
        <Alert color="orange">{t('networkHealth.queuesUnavailable')}</Alert>
      ) : (
        <ChartFigure
          title={t('networkHealth.queueDepths')}
          summary={t('networkHealth.queueSummary', {
            list: queueRows
              .map((q) => `${q.label}: ${states.map((s) => `${t(`networkHealth.states.${s}`)} ${q[s]}`).join(', ')}`)
              .join('; '),
          })}
          table={{
            headers: [t('networkHealth.queue'), ...states.map((s) => t(`networkHealth.states.${s}`))],
            rows: queueRows.map((q) => [q.label, ...states.map((s) => q[s])]),
          }}
        >
          <Group gap="xs" mb="xs">
            {queueRows
              .filter((q) => q.failed > 0)
              .map((q) => (
                <Badge key={q.queue} color="red.9">
                  {t('networkHealth.failedBadge', { queue: q.label, count: q.failed })}
                </Badge>
              ))}
          </Group>
          <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
            <BarChart data={queueRows} {...CHART_PROPS}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              {states.map((state, index) => (
                <Bar
                  key={state}
                  dataKey={state}
                  name={t(`networkHealth.states.${state}`)}
                  stackId="depth"
                  fill={SERIES_COLOURS[index]}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </ChartFigure>
      )}
    </Stack>
  );
}
