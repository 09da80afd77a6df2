import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  NativeSelect,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { dataOf, portal } from '../api/client';
import { useCurrentPerson } from '../auth/session';
import { formatDateTime } from '../i18n';

export const ORGANISATION_KINDS = [
  'national-csirt',
  'sector-csirt',
  'government-cert',
  'partner',
  'coordinator',
] as const;
type Kind = (typeof ORGANISATION_KINDS)[number];

interface Filters {
  name: string;
  country: string;
  sector: string;
  kind: Kind | '';
}

const NO_FILTERS: Filters = { name: '', country: '', sector: '', kind: '' };

/** The coordinator's reachability check: start one, then see who was asked and who has confirmed. */
function ReachabilityCheckCard() {
  const { t } = useTranslation();
  const [hours, setHours] = useState<number | string>(72);
  const start = useMutation({
    mutationFn: async () =>
      dataOf(
        await portal.POST('/api/v1/directory/reachability-checks', {
          body: { respond_within_hours: Number(hours) || 72 },
        }),
      ),
  });
  const check = useQuery({
    queryKey: ['reachability-check', start.data?.id],
    enabled: Boolean(start.data),
    queryFn: async () =>
      dataOf(
        await portal.GET('/api/v1/directory/reachability-checks/{checkId}', {
          params: { path: { checkId: start.data!.id } },
        }),
      ),
  });
  const shown = check.data ?? start.data;
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="xs">
        {t('directory.check.title')}
      </Title>
      <Text size="sm" mb="xs">
        {t('directory.check.hint')}
      </Text>
      <Group align="flex-end">
        <NumberInput label={t('directory.check.hours')} min={1} max={720} value={hours} onChange={setHours} w={200} />
        <Button onClick={() => start.mutate()} loading={start.isPending}>
          {t('directory.check.start')}
        </Button>
      </Group>
      {start.error && (
        <Alert color="red" mt="xs">
          {start.error.message}
        </Alert>
      )}
      {shown && (
        <Stack gap={4} mt="sm" data-testid="reachability-check">
          <Text>
            {t('directory.check.status', {
              asked: shown.asked,
              confirmed: shown.confirmed,
              by: formatDateTime(shown.respond_by),
            })}
          </Text>
          {shown.unconfirmed.length > 0 && (
            <Text size="sm">
              {t('directory.check.waiting', {
                list: shown.unconfirmed.map((c) => `${c.name} (${c.organisation_name})`).join(', '),
              })}
            </Text>
          )}
        </Stack>
      )}
    </Card>
  );
}

/** The 24/7 directory: search members by name, country, sector and kind, and open an entry. */
export default function DirectoryPage() {
  const { t } = useTranslation();
  const person = useCurrentPerson().data;
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const entries = useQuery({
    queryKey: ['directory', filters],
    queryFn: async () =>
      dataOf(
        await portal.GET('/api/v1/directory', {
          params: {
            query: {
              limit: 100,
              ...(filters.name.trim() ? { name: filters.name.trim() } : {}),
              ...(filters.country.trim() ? { country: filters.country.trim().toUpperCase() } : {}),
              ...(filters.sector.trim() ? { sector: filters.sector.trim() } : {}),
              ...(filters.kind ? { kind: filters.kind } : {}),
            },
          },
        }),
      ),
  });
  const field = (key: keyof Filters) => (event: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [key]: event.currentTarget.value });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('directory.title')}</Title>
        <Group>
          <Anchor component={Link} to="/directory/responsible">
            {t('directory.responsibleLink')}
          </Anchor>
          {person?.role === 'org-admin' && (
            <Anchor component={Link} to={`/directory/${person.organisation_id}/edit`}>
              {t('directory.editOwn')}
            </Anchor>
          )}
        </Group>
      </Group>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        <Group align="flex-end">
          <TextInput label={t('directory.name')} value={draft.name} onChange={field('name')} />
          <TextInput label={t('directory.country')} value={draft.country} onChange={field('country')} w={120} />
          <TextInput label={t('directory.sector')} value={draft.sector} onChange={field('sector')} />
          <NativeSelect
            label={t('directory.kind')}
            value={draft.kind}
            onChange={field('kind')}
            data={[
              { value: '', label: t('directory.anyKind') },
              ...ORGANISATION_KINDS.map((kind) => ({ value: kind, label: t(`directory.kinds.${kind}`) })),
            ]}
          />
          <Button type="submit">{t('directory.search')}</Button>
        </Group>
      </form>
      {person?.role === 'coordinator' && <ReachabilityCheckCard />}
      {entries.error && <Alert color="red">{entries.error.message}</Alert>}
      {!entries.data ? (
        <Loader aria-label={t('common.loading')} />
      ) : entries.data.items.length === 0 ? (
        <Text>{t('directory.none')}</Text>
      ) : (
        <>
          <Text size="sm">{t('directory.total', { count: entries.data.total })}</Text>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('directory.name')}</Table.Th>
                <Table.Th>{t('directory.country')}</Table.Th>
                <Table.Th>{t('directory.sector')}</Table.Th>
                <Table.Th>{t('directory.kind')}</Table.Th>
                <Table.Th>{t('directory.contacts')}</Table.Th>
                <Table.Th>{t('directory.reachabilityTitle')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.data.items.map((entry) => {
                const overdue = entry.contacts.filter((c) => c.reachability?.status === 'unconfirmed').length;
                return (
                  <Table.Tr key={entry.organisation.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/directory/${entry.organisation.id}`}>
                        {entry.organisation.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{entry.organisation.country ?? '—'}</Table.Td>
                    <Table.Td>{entry.organisation.sector ?? '—'}</Table.Td>
                    <Table.Td>{t(`directory.kinds.${entry.organisation.kind}`)}</Table.Td>
                    <Table.Td>{entry.contacts.length}</Table.Td>
                    <Table.Td>
                      {overdue > 0 ? (
                        <Badge color="red.9">{t('directory.overdueCount', { count: overdue })}</Badge>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
