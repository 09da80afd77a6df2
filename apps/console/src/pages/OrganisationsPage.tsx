import { Alert, Badge, Button, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PortalSchemas, dataOf, portal } from '../api/client';
import { formatDateTime } from '../i18n';

type Organisation = PortalSchemas['schemas']['OrganisationDto'];

/** The coordinator suspends or reinstates member organisations; the API requires a reason for either. */
export default function OrganisationsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const organisations = useQuery({
    queryKey: ['organisations'],
    queryFn: async () => dataOf(await portal.GET('/api/v1/organisations')),
  });
  const setStatus = useMutation({
    mutationFn: async ({ organisation, status }: { organisation: Organisation; status: 'active' | 'suspended' }) =>
      dataOf(
        await portal.PATCH('/api/v1/organisations/{id}/status', {
          params: { path: { id: organisation.id } },
          body: { status, reason: reason.trim() },
        }),
      ),
    onSuccess: () => {
      setReason('');
      void queryClient.invalidateQueries({ queryKey: ['organisations'] });
    },
  });
  if (organisations.error) return <Alert color="red">{organisations.error.message}</Alert>;
  if (!organisations.data) return <Loader aria-label={t('common.loading')} />;
  return (
    <Stack>
      <Title order={2}>{t('organisations.title')}</Title>
      <TextInput
        label={t('organisations.reason')}
        description={t('organisations.reasonHint')}
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        maw={480}
      />
      {setStatus.error && <Alert color="red">{setStatus.error.message}</Alert>}
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('organisations.name')}</Table.Th>
            <Table.Th>{t('applications.country')}</Table.Th>
            <Table.Th>{t('applications.status')}</Table.Th>
            <Table.Th>{t('organisations.since')}</Table.Th>
            <Table.Th>{t('applications.decide')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {organisations.data.items.map((organisation) => (
            <Table.Tr key={organisation.id}>
              <Table.Td>{organisation.name}</Table.Td>
              <Table.Td>{organisation.country ?? '—'}</Table.Td>
              <Table.Td>
                <Badge color={organisation.status === 'active' ? 'green' : 'gray'}>
                  {t(`organisations.statuses.${organisation.status}`)}
                </Badge>
                {organisation.status_reason && <Text size="sm">{organisation.status_reason}</Text>}
              </Table.Td>
              <Table.Td>{formatDateTime(organisation.status_changed_at ?? organisation.created_at)}</Table.Td>
              <Table.Td>
                {organisation.kind !== 'coordinator' && organisation.status === 'active' && (
                  <Button
                    size="xs"
                    color="red"
                    variant="outline"
                    disabled={!reason.trim()}
                    onClick={() => setStatus.mutate({ organisation, status: 'suspended' })}
                  >
                    {t('organisations.suspend')}
                  </Button>
                )}
                {organisation.status === 'suspended' && (
                  <Button
                    size="xs"
                    disabled={!reason.trim()}
                    onClick={() => setStatus.mutate({ organisation, status: 'active' })}
                  >
                    {t('organisations.reinstate')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
