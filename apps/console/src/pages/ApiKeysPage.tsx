import { Alert, Badge, Button, Checkbox, Code, Group, Loader, Stack, Table, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PortalSchemas, dataOf, okOf, portal } from '../api/client';
import { useCurrentPerson } from '../auth/session';
import { formatDateTime } from '../i18n';
import { ShownOnce } from '../components/ShownOnce';

type ApiKey = PortalSchemas['schemas']['ApiKeyDto'];
type Scope = PortalSchemas['schemas']['CreateApiKeyDto']['scopes'][number];
const SCOPES: Scope[] = [
  'reports:write',
  'indicators:read',
  'subscriptions:manage',
  'stream:read',
  'taxii:read',
  'taxii:write',
  'directory:read',
];

function keyState(key: ApiKey): 'revoked' | 'expired' | 'active' {
  if (key.revoked_at) return 'revoked';
  if (key.expires_at && new Date(key.expires_at).getTime() <= Date.now()) return 'expired';
  return 'active';
}

/** The organisation's API keys: created with scopes and an optional expiry, the secret shown once; revoked at once. */
export default function ApiKeysPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const organisationId = useCurrentPerson().data?.organisation_id ?? '';
  const queryKey = ['api-keys', organisationId];
  const keys = useQuery({
    queryKey,
    queryFn: async () =>
      dataOf(await portal.GET('/api/v1/organisations/{id}/api-keys', { params: { path: { id: organisationId } } })),
    enabled: Boolean(organisationId),
  });
  const form = useForm({
    initialValues: { name: '', scopes: [] as string[], expiresOn: '' },
    validate: { scopes: (scopes) => (scopes.length === 0 ? t('apiKeys.scopesRequired') : null) },
  });
  const create = useMutation({
    mutationFn: async (values: typeof form.values) =>
      dataOf(
        await portal.POST('/api/v1/organisations/{id}/api-keys', {
          params: { path: { id: organisationId } },
          body: {
            name: values.name.trim(),
            scopes: values.scopes as Scope[],
            // The end of the chosen day in the browser's time zone.
            ...(values.expiresOn ? { expires_at: new Date(`${values.expiresOn}T23:59:59`).toISOString() } : {}),
          },
        }),
      ),
    onSuccess: () => {
      form.reset();
      void queryClient.invalidateQueries({ queryKey });
    },
  });
  const revoke = useMutation({
    mutationFn: async (key: ApiKey) =>
      okOf(
        await portal.DELETE('/api/v1/organisations/{id}/api-keys/{keyId}', {
          params: { path: { id: organisationId, keyId: key.id } },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey }),
  });
  return (
    <Stack>
      <Title order={2}>{t('apiKeys.title')}</Title>
      <form onSubmit={form.onSubmit((values) => create.mutate(values))}>
        <Stack maw={640}>
          <TextInput label={t('apiKeys.name')} required {...form.getInputProps('name')} />
          <Checkbox.Group label={t('apiKeys.scopes')} {...form.getInputProps('scopes')}>
            <Group mt="xs">
              {SCOPES.map((scope) => (
                <Checkbox key={scope} value={scope} label={scope} />
              ))}
            </Group>
          </Checkbox.Group>
          <TextInput
            label={t('apiKeys.expiresOn')}
            description={t('apiKeys.expiresHint')}
            type="date"
            {...form.getInputProps('expiresOn')}
          />
          <Button type="submit" loading={create.isPending} w="fit-content">
            {t('apiKeys.create')}
          </Button>
        </Stack>
      </form>
      {create.error && <Alert color="red">{create.error.message}</Alert>}
      {create.data && (
        <ShownOnce
          title={t('apiKeys.secretTitle', { name: create.data.name })}
          hint={t('apiKeys.secretHint')}
          value={create.data.secret}
          testId="api-key-secret"
        />
      )}
      {revoke.error && <Alert color="red">{revoke.error.message}</Alert>}
      {keys.error && <Alert color="red">{keys.error.message}</Alert>}
      {!keys.data ? (
        <Loader aria-label={t('common.loading')} />
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('apiKeys.name')}</Table.Th>
              <Table.Th>{t('apiKeys.prefix')}</Table.Th>
              <Table.Th>{t('apiKeys.scopes')}</Table.Th>
              <Table.Th>{t('apiKeys.lastUsed')}</Table.Th>
              <Table.Th>{t('apiKeys.expires')}</Table.Th>
              <Table.Th>{t('apiKeys.state')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.data.items.map((key) => {
              const state = keyState(key);
              return (
                <Table.Tr key={key.id}>
                  <Table.Td>{key.name}</Table.Td>
                  <Table.Td>
                    <Code>{key.prefix}</Code>
                  </Table.Td>
                  <Table.Td>{key.scopes.join(', ')}</Table.Td>
                  <Table.Td>{key.last_used_at ? formatDateTime(key.last_used_at) : '—'}</Table.Td>
                  <Table.Td>{key.expires_at ? formatDateTime(key.expires_at) : t('apiKeys.never')}</Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Badge color={state === 'active' ? 'green' : 'gray'}>{t(`apiKeys.states.${state}`)}</Badge>
                      {state === 'active' && (
                        <Button
                          size="xs"
                          color="red"
                          variant="outline"
                          loading={revoke.isPending && revoke.variables.id === key.id}
                          onClick={() => revoke.mutate(key)}
                        >
                          {t('apiKeys.revoke')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
