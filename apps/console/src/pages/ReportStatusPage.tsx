import { Alert, Badge, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { formatDateTime } from '../i18n';
import { REPORT_STATUS_COLOURS, useReportStatus } from '../reports/use-report-status';

export default function ReportStatusPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const status = useReportStatus(id);
  if (status.error) return <Alert color="red">{status.error.message}</Alert>;
  if (!status.data) return <Loader aria-label={t('common.loading')} />;
  const report = status.data;
  const counts = Object.entries(report.counts as Record<string, unknown>);
  return (
    <Stack>
      <Group>
        <Title order={2}>{report.title}</Title>
        <Badge color={REPORT_STATUS_COLOURS[report.status]} data-testid="report-status" size="lg">
          {t(`reportStatus.${report.status}`)}
        </Badge>
        {report.status === 'received' && <Loader size="xs" aria-label={t('common.loading')} />}
      </Group>
      <Text>
        {t('reportPage.format')}: {report.format.toUpperCase()} · TLP:{report.tlp.toUpperCase()} ·{' '}
        {t('reportPage.received')}: {formatDateTime(report.received_at)}
        {report.normalised_at ? ` · ${t('reportPage.normalised')}: ${formatDateTime(report.normalised_at)}` : ''}
      </Text>
      {report.failure_reason && <Alert color="red">{report.failure_reason}</Alert>}
      <Card withBorder>
        <Title order={3} size="h4" mb="xs">
          {t('reportPage.counts')}
        </Title>
        <Table>
          <Table.Tbody>
            {counts.map(([name, value]) => (
              <Table.Tr key={name}>
                <Table.Th scope="row">{name}</Table.Th>
                <Table.Td>{String(value)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="xs">
          {t('reportPage.skipped')} ({report.skipped.length})
        </Title>
        {report.skipped.length === 0 ? (
          <Text>{t('reportPage.nothingSkipped')}</Text>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reportPage.where')}</Table.Th>
                <Table.Th>{t('reportPage.value')}</Table.Th>
                <Table.Th>{t('reportPage.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.skipped.map((item, index) => (
                <Table.Tr key={`${item.path}-${index}`}>
                  <Table.Td>{item.path}</Table.Td>
                  <Table.Td>{item.value ?? ''}</Table.Td>
                  <Table.Td>{item.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}
