import { Alert, Badge, Button, Group, Loader, NativeSelect, Stack, Table, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PortalSchemas, dataOf, portal } from '../api/client';
import { useCurrentPerson } from '../auth/session';
import { formatDateTime } from '../i18n';
import { ShownOnce } from '../components/ShownOnce';

type Invitation = PortalSchemas['schemas']['InvitationDto'];
type Person = PortalSchemas['schemas']['UserDto'];
type InvitedRole = 'analyst' | 'org-admin';
const INVITED_ROLES: InvitedRole[] = ['analyst', 'org-admin'];

/** The organisation's people; an invitation's link is answered once and passed on by the admin. */
export default function PeoplePage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const me = useCurrentPerson().data;
  const organisationId = me?.organisation_id ?? '';
  const queryKey = ['people', organisationId];
  const people = useQuery({
    queryKey,
    queryFn: async () =>
      dataOf(await portal.GET('/api/v1/organisations/{id}/users', { params: { path: { id: organisationId } } })),
    enabled: Boolean(organisationId),
  });
  const form = useForm({ initialValues: { email: '', displayName: '', role: 'analyst' as InvitedRole } });
  const invite = useMutation({
    mutationFn: async (values: typeof form.values): Promise<Invitation> =>
      dataOf(
        await portal.POST('/api/v1/organisations/{id}/users', {
          params: { path: { id: organisationId } },
          body: { email: values.email.trim(), display_name: values.displayName.trim(), role: values.role },
        }),
      ).invitation,
    onSuccess: () => {
      form.reset();
      void queryClient.invalidateQueries({ queryKey });
    },
  });
  const update = useMutation({
    mutationFn: async ({ person, change }: { person: Person; change: { role?: InvitedRole; disabled?: boolean } }) =>
      dataOf(
        await portal.PATCH('/api/v1/organisations/{id}/users/{userId}', {
          params: { path: { id: organisationId, userId: person.id } },
          body: change,
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey }),
  });
  const link = invite.data ? `${window.location.origin}${invite.data.link_path}` : '';
  return (
    <Stack>
      <Title order={2}>{t('people.title')}</Title>
      <form onSubmit={form.onSubmit((values) => invite.mutate(values))}>
        <Group align="end">
          <TextInput label={t('people.email')} type="email" required {...form.getInputProps('email')} />
          <TextInput label={t('people.name')} required {...form.getInputProps('displayName')} />
          <NativeSelect
            label={t('people.role')}
            data={INVITED_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            {...form.getInputProps('role')}
          />
          <Button type="submit" loading={invite.isPending}>
            {t('people.invite')}
          </Button>
        </Group>
      </form>
      {invite.error && <Alert color="red">{invite.error.message}</Alert>}
      {invite.data && (
        <ShownOnce
          title={t('people.invitationTitle')}
          hint={t('people.invitationHint', { date: formatDateTime(invite.data.expires_at) })}
          value={link}
          testId="invitation-link"
        />
      )}
      {update.error && <Alert color="red">{update.error.message}</Alert>}
      {people.error && <Alert color="red">{people.error.message}</Alert>}
      {!people.data ? (
        <Loader aria-label={t('common.loading')} />
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('people.name')}</Table.Th>
              <Table.Th>{t('people.email')}</Table.Th>
              <Table.Th>{t('people.role')}</Table.Th>
              <Table.Th>{t('people.status')}</Table.Th>
              <Table.Th>{t('people.since')}</Table.Th>
              <Table.Th>{t('people.change')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {people.data.items.map((person) => (
              <Table.Tr key={person.id}>
                <Table.Td>{person.display_name}</Table.Td>
                <Table.Td>{person.email}</Table.Td>
                <Table.Td>{t(`roles.${person.role}`)}</Table.Td>
                <Table.Td>
                  <Badge color={person.status === 'active' ? 'green' : person.status === 'invited' ? 'blue' : 'gray'}>
                    {t(`people.statuses.${person.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatDateTime(person.created_at)}</Table.Td>
                <Table.Td>
                  {/* Nobody changes or disables themselves here; coordinators keep their role. */}
                  {person.id !== me?.user_id && person.role !== 'coordinator' && person.status !== 'disabled' && (
                    <Group gap="xs" wrap="nowrap">
                      <NativeSelect
                        size="xs"
                        aria-label={t('people.roleOf', { name: person.display_name })}
                        value={person.role}
                        data={INVITED_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
                        onChange={(event) =>
                          update.mutate({ person, change: { role: event.currentTarget.value as InvitedRole } })
                        }
                      />
                      <Button
                        size="xs"
                        color="red"
                        variant="outline"
                        onClick={() => update.mutate({ person, change: { disabled: true } })}
                      >
                        {t('people.disable')}
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
