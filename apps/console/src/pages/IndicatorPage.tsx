import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { dataOf, portal } from '../api/client';
import { useCurrentPerson } from '../auth/session';
import { formatDateTime } from '../i18n';
import { CopyValueButton } from '../components/ShownOnce';

export default function IndicatorPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const me = useCurrentPerson();
  const indicator = useQuery({
    queryKey: ['indicator', id],
    queryFn: async () => dataOf(await portal.GET('/api/v1/indicators/{id}', { params: { path: { id } } })),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['indicator', id] });
  // Shared at TLP:GREEN with the network: what one member sees helps every other.
  const seenToo = useMutation({
    mutationFn: async () =>
      dataOf(
        await portal.POST('/api/v1/indicators/{id}/sightings', {
          params: { path: { id } },
          body: { tlp: 'green', count: 1, where: 'constituency', last_seen: new Date().toISOString() },
        }),
      ),
    onSuccess: () => {
      notifications.show({
        message: t('indicator.seenRecorded'),
        closeButtonProps: { 'aria-label': t('common.close') },
      });
      void refresh();
    },
  });
  const falsePositive = useMutation({
    mutationFn: async () =>
      dataOf(
        await portal.POST('/api/v1/indicators/{id}/feedback', {
          params: { path: { id } },
          body: { tlp: 'green', verdict: 'false-positive' },
        }),
      ),
    onSuccess: () => {
      notifications.show({
        message: t('indicator.falsePositiveRecorded'),
        closeButtonProps: { 'aria-label': t('common.close') },
      });
      void refresh();
    },
  });
  if (indicator.error) return <Alert color="red">{indicator.error.message}</Alert>;
  if (!indicator.data) return <Loader aria-label={t('common.loading')} />;
  const data = indicator.data;
  const stix = JSON.stringify(data.stix, null, 2);
  const download = () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([stix], { type: 'application/stix+json' }));
    link.download = `${data.id}.stix.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  const ownFalsePositive = data.feedback.some(
    (item) => item.verdict === 'false-positive' && item.organisation?.id === me.data?.organisation_id,
  );
  return (
    <Stack>
      <Group>
        <Title order={2} ff="monospace" style={{ wordBreak: 'break-all' }}>
          {data.value}
        </Title>
        <Badge variant="light">{data.type}</Badge>
        <Badge variant="outline">TLP:{data.tlp.toUpperCase()}</Badge>
        {data.suppressed.false_positive && (
          <Badge color="orange" data-testid="false-positive-badge">
            {t('indicator.suppressedFalsePositive')}
          </Badge>
        )}
      </Group>
      <Group>
        <Button onClick={() => seenToo.mutate()} loading={seenToo.isPending}>
          {t('indicator.seenToo')}
        </Button>
        <Button
          color="red"
          variant="outline"
          onClick={() => falsePositive.mutate()}
          loading={falsePositive.isPending}
          disabled={ownFalsePositive}
        >
          {ownFalsePositive ? t('indicator.markedFalsePositive') : t('indicator.falsePositive')}
        </Button>
      </Group>
      {(seenToo.error ?? falsePositive.error) && (
        <Alert color="red">{(seenToo.error ?? falsePositive.error)?.message}</Alert>
      )}
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <Figure label={t('indicator.score')} value={data.score.toFixed(0)} />
        <Figure label={t('indicator.orgs')} value={String(data.org_count)} />
        <Figure label={t('indicator.sightings')} value={String(data.sighting_count)} />
        <Figure label={t('indicator.confirmed')} value={String(data.confirmed_org_count)} />
        <Figure
          label={t('indicator.falsePositives')}
          value={String(data.false_positive_org_count)}
          testId="false-positive-count"
        />
      </SimpleGrid>
      <Text>
        {t('indicator.firstSeen')}: {formatDateTime(data.first_seen)} · {t('indicator.lastSeen')}:{' '}
        {formatDateTime(data.last_seen)} · {t('indicator.validUntil')}: {formatDateTime(data.valid_until)}
      </Text>
      <Card withBorder>
        <Title order={3} size="h4" mb="xs">
          {t('indicator.reports')}
        </Title>
        <Table>
          <Table.Tbody>
            {data.reports.map((report) => (
              <Table.Tr key={report.id}>
                <Table.Td>{report.title}</Table.Td>
                <Table.Td>{report.organisation.name}</Table.Td>
                <Table.Td>TLP:{report.tlp.toUpperCase()}</Table.Td>
                <Table.Td>{formatDateTime(report.received_at)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="xs">
          {t('indicator.timeline')}
        </Title>
        {data.sightings.length === 0 ? (
          <Text>{t('indicator.noSightings')}</Text>
        ) : (
          <Table>
            <Table.Tbody>
              {data.sightings.map((sighting) => (
                <Table.Tr key={sighting.id}>
                  <Table.Td>{formatDateTime(sighting.last_seen ?? sighting.first_seen)}</Table.Td>
                  <Table.Td>{sighting.organisation?.name ?? t('indicator.aMember')}</Table.Td>
                  <Table.Td>{sighting.count}×</Table.Td>
                  <Table.Td>{sighting.comment ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h4">
            STIX 2.1
          </Title>
          <Group>
            <CopyValueButton value={stix} />
            <Button variant="default" size="xs" onClick={download}>
              {t('common.download')}
            </Button>
          </Group>
        </Group>
        <Code block style={{ maxHeight: 400, overflow: 'auto' }} tabIndex={0} aria-label="STIX 2.1">
          {stix}
        </Code>
      </Card>
      <Anchor href={`/api/v1/indicators/${data.id}`} target="_blank" size="sm">
        JSON
      </Anchor>
    </Stack>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm">{label}</Text>
      <Text fw={700} size="xl" data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}
