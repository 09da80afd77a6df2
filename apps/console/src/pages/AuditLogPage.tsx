import { Alert, Button, Code, Stack, Table, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dataOf, portal } from '../api/client';
import { formatDateTime } from '../i18n';

/** The organisation's audit log (coordinators: the network's), newest first, by cursor pages of 50. */
export default function AuditLogPage() {
  const { t } = useTranslation();
  const [action, setAction] = useState('');
  const deferredAction = useDeferredValue(action.trim());
  const events = useInfiniteQuery({
    queryKey: ['audit', deferredAction],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await portal.GET('/api/v1/audit', {
          params: {
            query: {
              ...(deferredAction ? { action: deferredAction } : {}),
              limit: 50,
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = events.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Title order={2}>{t('audit.title')}</Title>
      <TextInput
        label={t('audit.action')}
        description={t('audit.actionHint')}
        value={action}
        onChange={(event) => setAction(event.currentTarget.value)}
        maw={320}
      />
      {events.error && <Alert color="red">{events.error.message}</Alert>}
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('audit.when')}</Table.Th>
            <Table.Th>{t('audit.action')}</Table.Th>
            <Table.Th>{t('audit.actor')}</Table.Th>
            <Table.Th>{t('audit.target')}</Table.Th>
            <Table.Th>{t('audit.address')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((event) => (
            <Table.Tr key={event.id}>
              <Table.Td>{formatDateTime(event.occurred_at)}</Table.Td>
              <Table.Td>
                <Code>{event.action}</Code>
              </Table.Td>
              <Table.Td>
                {event.actor_user_id
                  ? t('audit.person', { id: event.actor_user_id.slice(0, 8) })
                  : event.actor_api_key_id
                    ? t('audit.apiKey', { id: event.actor_api_key_id.slice(0, 8) })
                    : '—'}
              </Table.Td>
              <Table.Td>{event.target_type ?? '—'}</Table.Td>
              <Table.Td>{event.address ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {events.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void events.fetchNextPage()}
          loading={events.isFetchingNextPage}
          w="fit-content"
        >
          {t('audit.more')}
        </Button>
      )}
    </Stack>
  );
}
