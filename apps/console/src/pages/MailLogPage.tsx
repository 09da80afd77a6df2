import { Alert, Badge, Button, Select, Stack, Table, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PortalSchemas, dataOf, portal } from '../api/client';
import { formatDateTime } from '../i18n';

type MailStatus = PortalSchemas['schemas']['MailLogEntryDto']['status'];
const STATUSES: MailStatus[] = ['queued', 'sent', 'logged', 'failed'];

/** The coordinator's mail log: in development, without SMTP, every mail is kept here ("logged"). */
export default function MailLogPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<MailStatus | null>(null);
  const mails = useInfiniteQuery({
    queryKey: ['mail-log', status],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await portal.GET('/api/v1/mail-log', {
          params: { query: { ...(status ? { status } : {}), limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = mails.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Title order={2}>{t('mailLog.title')}</Title>
      <Select
        label={t('mailLog.status')}
        clearable
        data={STATUSES.map((value) => ({ value, label: value }))}
        value={status}
        onChange={(value) => setStatus(value as MailStatus | null)}
        w={240}
      />
      {mails.error && <Alert color="red">{mails.error.message}</Alert>}
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('mailLog.created')}</Table.Th>
            <Table.Th>{t('mailLog.recipient')}</Table.Th>
            <Table.Th>{t('mailLog.subject')}</Table.Th>
            <Table.Th>{t('mailLog.category')}</Table.Th>
            <Table.Th>{t('mailLog.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((mail) => (
            <Table.Tr key={mail.id}>
              <Table.Td>{formatDateTime(mail.created_at)}</Table.Td>
              <Table.Td>{mail.recipient}</Table.Td>
              <Table.Td>{mail.subject}</Table.Td>
              <Table.Td>{mail.category}</Table.Td>
              <Table.Td>
                <Badge color={mail.status === 'failed' ? 'red' : 'gray'}>{mail.status}</Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {mails.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void mails.fetchNextPage()}
          loading={mails.isFetchingNextPage}
          w="fit-content"
        >
          {t('mailLog.more')}
        </Button>
      )}
    </Stack>
  );
}
