import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Fieldset,
  Group,
  Loader,
  MultiSelect,
  NativeSelect,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { RSIT_CLASSIFICATIONS, RSIT_TAXONOMY } from '@vigia/indicators';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PortalSchemas, dataOf, portal } from '../api/client';
import { LANGUAGES, Language, formatDateTime } from '../i18n';
import { ShownOnce } from '../components/ShownOnce';
import { summariseFilters } from '../subscriptions/filter-summary';

type Schemas = PortalSchemas['schemas'];
type Subscription = Schemas['SubscriptionDto'];
type Filters = Schemas['SubscriptionFiltersDto'];
type Delivery = Schemas['DeliveryDto'];
type EmailMode = 'immediate' | 'hourly' | 'daily';
/** An e-mail channel as the form edits it (an OpenPGP key is set through the API). */
interface EmailChannel {
  address: string;
  mode: EmailMode;
  language: Language;
}
type Channel = { type: 'webhook'; url: string } | { type: 'stream' } | ({ type: 'email' } & EmailChannel);
/**
 * What the console sends. The generated schema marks the API's defaulted fields (booleans of the filters, an
 * e-mail channel's mode and language) as required: the API fills them in, so the console leaves them out.
 */
interface SubscriptionBody {
  name: string;
  active?: boolean;
  filters: Pick<Filters, 'indicator_types' | 'classifications' | 'min_severity'>;
  channels?: Channel[];
}

const TYPES: NonNullable<Filters['indicator_types']> = [
  'ipv4',
  'ipv6',
  'domain',
  'url',
  'email',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'cve',
  'asn',
];
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const EMAIL_MODES: EmailMode[] = ['immediate', 'hourly', 'daily'];
const SUBSCRIPTIONS_KEY = ['subscriptions'];

interface FormValues {
  name: string;
  types: string[];
  classifications: string[];
  minSeverity: string;
  webhooks: { url: string }[];
  emails: EmailChannel[];
  stream: boolean;
}

const EMPTY_FORM: FormValues = {
  name: '',
  types: [],
  classifications: [],
  minSeverity: '',
  webhooks: [{ url: '' }],
  emails: [],
  stream: false,
};

/** The form's values for a stored subscription. */
function valuesOf(subscription: Subscription): FormValues {
  const { indicator_types, classifications, min_severity } = subscription.filters;
  return {
    name: subscription.name,
    types: indicator_types,
    classifications,
    minSeverity: min_severity ?? '',
    webhooks: subscription.channels.flatMap((channel) =>
      channel.type === 'webhook' ? [{ url: channel.url ?? '' }] : [],
    ),
    emails: subscription.channels.flatMap((channel) =>
      channel.type === 'email'
        ? [
            {
              address: channel.address ?? '',
              mode: (channel.mode ?? 'immediate') as EmailMode,
              language: (channel.language ?? 'en') as Language,
            },
          ]
        : [],
    ),
    stream: subscription.channels.some((channel) => channel.type === 'stream'),
  };
}

/** The channels the form lists; rows left blank are not channels. */
function channelsOf(values: FormValues): Channel[] {
  return [
    ...values.webhooks
      .map(({ url }) => url.trim())
      .filter(Boolean)
      .map((url): Channel => ({ type: 'webhook', url })),
    ...values.emails
      .filter(({ address }) => address.trim())
      .map((email): Channel => ({ type: 'email', ...email, address: email.address.trim() })),
    ...(values.stream ? [{ type: 'stream' } as const] : []),
  ];
}

/**
 * Subscriptions to early warnings: filters and channels (webhooks with their secret shown once, e-mail addresses, the
 * live stream), created and edited here, and each one's delivery log with a test delivery.
 */
export default function SubscriptionsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [shown, setShown] = useState<Subscription | null>(null);
  const [editing, setEditing] = useState<Subscription | null>(null);
  const subscriptions = useQuery({
    queryKey: SUBSCRIPTIONS_KEY,
    queryFn: async () => dataOf(await portal.GET('/api/v1/subscriptions')),
  });
  const form = useForm<FormValues>({
    initialValues: EMPTY_FORM,
    validate: (values) =>
      channelsOf(values).length === 0 ? { webhooks: t('subscriptionForm.oneChannel') } : ({} as Record<string, never>),
  });
  const save = useMutation({
    mutationFn: async (values: FormValues) => {
      const filters: SubscriptionBody['filters'] = {
        indicator_types: values.types as Filters['indicator_types'],
        classifications: values.classifications as Filters['classifications'],
        min_severity: (values.minSeverity || null) as Filters['min_severity'],
      };
      const channels = channelsOf(values);
      if (!editing) {
        const body: SubscriptionBody = { name: values.name.trim(), active: true, filters, channels };
        return dataOf(await portal.POST('/api/v1/subscriptions', { body: body as Schemas['CreateSubscriptionDto'] }));
      }
      // Channels are sent only when changed: the API replaces the list (an e-mail channel sent without its key keeps
      // it, so a key set through the API survives an edit here).
      const unchanged = JSON.stringify(channels) === JSON.stringify(channelsOf(valuesOf(editing)));
      const body: SubscriptionBody = { name: values.name.trim(), filters, ...(unchanged ? {} : { channels }) };
      return dataOf(
        await portal.PATCH('/api/v1/subscriptions/{id}', {
          params: { path: { id: editing.id } },
          body: body as Schemas['UpdateSubscriptionDto'],
        }),
      );
    },
    onSuccess: () => {
      setEditing(null);
      form.setValues(EMPTY_FORM);
      form.resetDirty(EMPTY_FORM);
      void queryClient.invalidateQueries({ queryKey: SUBSCRIPTIONS_KEY });
    },
  });
  const edit = (subscription: Subscription) => {
    save.reset();
    setEditing(subscription);
    form.setValues(valuesOf(subscription));
    form.resetDirty(valuesOf(subscription));
  };
  const cancel = () => {
    setEditing(null);
    form.setValues(EMPTY_FORM);
    form.resetDirty(EMPTY_FORM);
  };
  const secret = save.data?.channels.find((channel) => channel.secret)?.secret;
  return (
    <Stack>
      <Title order={2}>{t('subscriptions.title')}</Title>
      <form
        onSubmit={form.onSubmit((values) => save.mutate(values))}
        aria-label={editing ? t('subscriptionForm.editTitle', { name: editing.name }) : t('subscriptionForm.newTitle')}
      >
        <Stack maw={640}>
          <Title order={3}>
            {editing ? t('subscriptionForm.editTitle', { name: editing.name }) : t('subscriptionForm.newTitle')}
          </Title>
          <TextInput label={t('subscriptions.name')} required {...form.getInputProps('name')} />
          <MultiSelect
            label={t('subscriptions.types')}
            data={TYPES}
            searchable
            clearable
            {...form.getInputProps('types')}
          />
          <MultiSelect
            label={t('subscriptions.classifications')}
            data={RSIT_CLASSIFICATIONS.map((value) => ({ value, label: RSIT_TAXONOMY[value].label }))}
            searchable
            clearable
            {...form.getInputProps('classifications')}
          />
          <Select
            label={t('subscriptions.minSeverity')}
            data={SEVERITIES.map((value) => ({ value, label: t(`severity.${value}`) }))}
            clearable
            {...form.getInputProps('minSeverity')}
          />
          <Fieldset legend={t('subscriptions.channels')}>
            <Stack>
              {form.values.webhooks.map((_, index) => (
                <Group key={`webhook-${index}`} align="end" wrap="nowrap">
                  <TextInput
                    flex={1}
                    label={t('subscriptions.webhook')}
                    description={index === 0 ? t('subscriptions.webhookHint') : undefined}
                    type="url"
                    {...form.getInputProps(`webhooks.${index}.url`)}
                  />
                  <Button variant="default" onClick={() => form.removeListItem('webhooks', index)}>
                    {t('subscriptionForm.remove')}
                  </Button>
                </Group>
              ))}
              {form.values.emails.map((_, index) => (
                <Group key={`email-${index}`} align="end">
                  <TextInput
                    label={t('subscriptionForm.emailAddress')}
                    type="email"
                    required
                    {...form.getInputProps(`emails.${index}.address`)}
                  />
                  <NativeSelect
                    label={t('subscriptionForm.emailMode')}
                    data={EMAIL_MODES.map((mode) => ({ value: mode, label: t(`subscriptionForm.modes.${mode}`) }))}
                    {...form.getInputProps(`emails.${index}.mode`)}
                  />
                  <NativeSelect
                    label={t('subscriptionForm.emailLanguage')}
                    data={LANGUAGES.map((language) => ({ value: language, label: t(`languages.${language}`) }))}
                    {...form.getInputProps(`emails.${index}.language`)}
                  />
                  <Button variant="default" onClick={() => form.removeListItem('emails', index)}>
                    {t('subscriptionForm.remove')}
                  </Button>
                </Group>
              ))}
              <Group>
                <Button variant="light" onClick={() => form.insertListItem('webhooks', { url: '' })}>
                  {t('subscriptionForm.addWebhook')}
                </Button>
                <Button
                  variant="light"
                  onClick={() => form.insertListItem('emails', { address: '', mode: 'immediate', language: 'en' })}
                >
                  {t('subscriptionForm.addEmail')}
                </Button>
              </Group>
              <Checkbox
                label={t('subscriptionForm.stream')}
                description={t('subscriptionForm.streamHint')}
                {...form.getInputProps('stream', { type: 'checkbox' })}
              />
              {typeof form.errors.webhooks === 'string' && (
                <Text c="red" size="sm" role="alert">
                  {form.errors.webhooks}
                </Text>
              )}
            </Stack>
          </Fieldset>
          <Group>
            <Button type="submit" loading={save.isPending}>
              {editing ? t('subscriptionForm.save') : t('subscriptions.create')}
            </Button>
            {editing && (
              <Button variant="default" onClick={cancel}>
                {t('subscriptionForm.cancel')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
      {save.error && <Alert color="red">{save.error.message}</Alert>}
      {save.data && secret && (
        <ShownOnce
          title={t('subscriptions.secretTitle', { name: save.data.name })}
          hint={t('subscriptions.secretHint')}
          value={secret}
          testId="webhook-secret"
        />
      )}
      {subscriptions.error && <Alert color="red">{subscriptions.error.message}</Alert>}
      {!subscriptions.data ? (
        <Loader aria-label={t('common.loading')} />
      ) : subscriptions.data.items.length === 0 ? (
        <Text>{t('subscriptions.none')}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('subscriptions.name')}</Table.Th>
              <Table.Th>{t('subscriptions.filters')}</Table.Th>
              <Table.Th>{t('subscriptions.channels')}</Table.Th>
              <Table.Th>{t('subscriptions.created')}</Table.Th>
              <Table.Th>{t('subscriptions.deliveries')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {subscriptions.data.items.map((subscription) => (
              <Table.Tr key={subscription.id}>
                <Table.Td>{subscription.name}</Table.Td>
                <Table.Td>{summariseFilters(subscription.filters, t)}</Table.Td>
                <Table.Td>
                  {subscription.channels.map((channel, index) => (
                    <Text key={channel.id ?? index} size="sm">
                      {channel.type}
                      {channel.url ? `: ${channel.url}` : channel.address ? `: ${channel.address}` : ''}
                      {channel.mode ? ` (${t(`subscriptionForm.modes.${channel.mode as EmailMode}`)})` : ''}
                      {channel.disabled_at ? ` (${t('subscriptions.disabled')})` : ''}
                    </Text>
                  ))}
                </Table.Td>
                <Table.Td>{formatDateTime(subscription.created_at)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => edit(subscription)}>
                      {t('subscriptionForm.edit')}
                    </Button>
                    <Button size="xs" variant="default" onClick={() => setShown(subscription)}>
                      {t('subscriptions.showDeliveries')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {shown && (
        <DeliveryLog
          subscription={subscriptions.data?.items.find((subscription) => subscription.id === shown.id) ?? shown}
        />
      )}
    </Stack>
  );
}

const isOpen = (delivery: Delivery): boolean => delivery.status === 'pending' || delivery.status === 'failed';

/**
 * The newest deliveries of a subscription's webhooks, with every attempt's outcome; dead and failed ones replayed,
 * and a signed test delivery sent to any of its webhooks. Refreshed every second while one is on its way.
 */
function DeliveryLog({ subscription }: { subscription: Subscription }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const queryKey = ['deliveries', subscription.id];
  const deliveries = useQuery({
    queryKey,
    queryFn: async () =>
      dataOf(
        await portal.GET('/api/v1/subscriptions/{id}/deliveries', {
          params: { path: { id: subscription.id }, query: { limit: 50 } },
        }),
      ),
    refetchInterval: (query) => (query.state.data?.items.some(isOpen) ? 1000 : false),
  });
  const replay = useMutation({
    mutationFn: async (delivery: Delivery) =>
      dataOf(
        await portal.POST('/api/v1/subscriptions/{id}/deliveries/{deliveryId}/replay', {
          params: { path: { id: subscription.id, deliveryId: delivery.id } },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey }),
  });
  const sendTest = useMutation({
    mutationFn: async (endpointId: string) =>
      dataOf(
        await portal.POST('/api/v1/subscriptions/{id}/webhooks/{endpointId}/test', {
          params: { path: { id: subscription.id, endpointId } },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey }),
  });
  const webhooks = subscription.channels.filter((channel) => channel.type === 'webhook' && channel.id);
  const problem = deliveries.error ?? replay.error ?? sendTest.error;
  return (
    <Stack>
      <Title order={3}>{t('subscriptions.deliveryLog', { name: subscription.name })}</Title>
      {webhooks.map((webhook) => (
        <Group key={webhook.id} gap="xs">
          <Button
            size="xs"
            variant="default"
            disabled={Boolean(webhook.disabled_at)}
            loading={sendTest.isPending && sendTest.variables === webhook.id}
            onClick={() => sendTest.mutate(webhook.id as string)}
            aria-label={t('subscriptionForm.sendTestTo', { url: webhook.url })}
          >
            {t('subscriptionForm.sendTest')}
          </Button>
          <Text size="sm">{webhook.url}</Text>
        </Group>
      ))}
      {problem && <Alert color="red">{problem.message}</Alert>}
      {!deliveries.data ? (
        <Loader aria-label={t('common.loading')} />
      ) : deliveries.data.items.length === 0 ? (
        <Text>{t('subscriptions.noDelivery')}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('subscriptions.created')}</Table.Th>
              <Table.Th>{t('subscriptions.warning')}</Table.Th>
              <Table.Th>{t('subscriptions.status')}</Table.Th>
              <Table.Th>{t('subscriptions.attempts')}</Table.Th>
              <Table.Th>{t('subscriptions.lastOutcome')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {deliveries.data.items.map((delivery) => (
              <Table.Tr key={delivery.id}>
                <Table.Td>{formatDateTime(delivery.created_at)}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    {delivery.test && <Badge variant="outline">{t('subscriptionForm.testBadge')}</Badge>}
                    <Code>{delivery.warning_id}</Code>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Badge
                      color={delivery.status === 'delivered' ? 'green' : delivery.status === 'dead' ? 'red' : 'gray'}
                    >
                      {t(`subscriptions.statuses.${delivery.status}`)}
                    </Badge>
                    {(delivery.status === 'dead' || delivery.status === 'failed') && (
                      <Button size="xs" variant="outline" onClick={() => replay.mutate(delivery)}>
                        {t('subscriptions.replay')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{delivery.attempt_count}</Table.Td>
                <Table.Td>{delivery.last_error ?? delivery.last_status_code ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
