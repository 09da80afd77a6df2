import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PortalSchemas, dataOf, portal } from '../api/client';
import { useCurrentPerson } from '../auth/session';
import { formatDateTime } from '../i18n';

type Application = PortalSchemas['schemas']['ApplicationSummaryDto'];
type Decision = 'approved' | 'rejected';
const OPEN = new Set(['submitted', 'under_review', 'information_requested']);

/** The coordinator's queue: open applications with the review clock (working days), approve or reject. */
export default function ApplicationsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  // Org-admins of members see the applications in review, to endorse them; only the coordinator decides.
  const decides = useCurrentPerson().data?.role === 'coordinator';
  const applications = useQuery({
    queryKey: ['applications'],
    queryFn: async () => dataOf(await portal.GET('/api/v1/applications', { params: { query: { limit: 100 } } })),
  });
  const decide = useMutation({
    mutationFn: async ({ application, status }: { application: Application; status: Decision }) =>
      dataOf(
        await portal.POST('/api/v1/applications/{id}/transitions', {
          params: { path: { id: application.id } },
          body: { status, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['applications'] }),
  });
  if (applications.error) return <Alert color="red">{applications.error.message}</Alert>;
  if (!applications.data) return <Loader aria-label={t('common.loading')} />;
  return (
    <Stack>
      <Title order={2}>{t('applications.title')}</Title>
      {decides && (
        <TextInput
          label={t('applications.reason')}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          maw={480}
        />
      )}
      {decide.error && <Alert color="red">{decide.error.message}</Alert>}
      {applications.data.items.length === 0 ? (
        <Text>{t('applications.none')}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('applications.team')}</Table.Th>
              <Table.Th>{t('applications.country')}</Table.Th>
              <Table.Th>{t('applications.status')}</Table.Th>
              <Table.Th>{t('applications.clock')}</Table.Th>
              <Table.Th>{t('applications.decide')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {applications.data.items.map((application) => (
              <Table.Tr key={application.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/applications/${application.id}`}>
                    {application.team_name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{application.country}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{t(`applications.statuses.${application.status}`)}</Badge>
                </Table.Td>
                <Table.Td miw={200}>
                  {application.clock ? (
                    <>
                      <Progress
                        value={(100 * application.clock.elapsed_working_days) / application.clock.target_working_days}
                        color={
                          application.clock.elapsed_working_days > application.clock.target_working_days
                            ? 'red'
                            : 'indigo'
                        }
                        aria-label={t('applications.clock')}
                      />
                      <Text size="sm">
                        {t('applications.days', {
                          elapsed: application.clock.elapsed_working_days,
                          target: application.clock.target_working_days,
                        })}{' '}
                        · {formatDateTime(application.clock.due_at)}
                      </Text>
                    </>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  {decides && OPEN.has(application.status) && (
                    <Group gap="xs">
                      <Button size="xs" onClick={() => decide.mutate({ application, status: 'approved' })}>
                        {t('applications.approve')}
                      </Button>
                      <Button
                        size="xs"
                        color="red"
                        variant="outline"
                        onClick={() => decide.mutate({ application, status: 'rejected' })}
                      >
                        {t('applications.reject')}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
