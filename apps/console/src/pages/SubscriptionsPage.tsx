import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  MultiSelect,
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
import { formatDateTime } from '../i18n';
import { ShownOnce } from '../components/ShownOnce';

type Schemas = PortalSchemas['schemas'];
type Subscription = Schemas['SubscriptionDto'];
type Filters = Schemas['SubscriptionFiltersDto'];
type Delivery = Schemas['DeliveryDto'];
/**
 * What the console sends. The generated schema marks the API's defaulted fields (booleans of the filters, an
 * e-mail channel's mode and language) as required: the API fills them in, so the console leaves them out.
 */
interface NewSubscription {
  name: string;
  active: boolean;
  filters: Pick<Filters, 'indicator_types' | 'classifications' | 'min_severity'>;
  channels: { type: 'webhook'; url: string }[];
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
const SUBSCRIPTIONS_KEY = ['subscriptions'];

/** Subscriptions to early warnings with a webhook (secret shown once), and each one's delivery log. */
export default function SubscriptionsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [shown, setShown] = useState<Subscription | null>(null);
  const subscriptions = useQuery({
    queryKey: SUBSCRIPTIONS_KEY,
    queryFn: async () => dataOf(await portal.GET('/api/v1/subscriptions')),
  });
  const form = useForm({
    initialValues: { name: '', types: [] as string[], classifications: [] as string[], minSeverity: '', url: '' },
  });
  const create = useMutation({
    mutationFn: async (values: typeof form.values) => {
      const body: NewSubscription = {
        name: values.name.trim(),
        active: true,
        filters: {
          ...(values.types.length ? { indicator_types: values.types as Filters['indicator_types'] } : {}),
          ...(values.classifications.length
            ? { classifications: values.classifications as Filters['classifications'] }
            : {}),
          ...(values.minSeverity ? { min_severity: values.minSeverity as Filters['min_severity'] } : {}),
        },
        channels: [{ type: 'webhook', url: values.url.trim() }],
      };
      return dataOf(await portal.POST('/api/v1/subscriptions', { body: body as Schemas['CreateSubscriptionDto'] }));
    },
    onSuccess: () => {
      form.reset();
      void queryClient.invalidateQueries({ queryKey: SUBSCRIPTIONS_KEY });
    },
  });
  const secret = create.data?.channels.find((channel) => channel.secret)?.secret;
  return (
    <Stack>
      <Title order={2}>{t('subscriptions.title')}</Title>
      <form onSubmit={form.onSubmit((values) => create.mutate(values))}>
        <Stack maw={640}>
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
          <TextInput
            label={t('subscriptions.webhook')}
            description={t('subscriptions.webhookHint')}
            type="url"
            required
            {...form.getInputProps('url')}
          />
          <Button type="submit" loading={create.isPending} w="fit-content">
            {t('subscriptions.create')}
          </Button>
        </Stack>
      </form>
      {create.error && <Alert color="red">{create.error.message}</Alert>}
      {create.data && secret && (
        <ShownOnce
          title={t('subscriptions.secretTitle', { name: create.data.name })}
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
                <Table.Td>{describeFilters(subscription, t('subscriptions.everything'))}</Table.Td>
                <Table.Td>
                  {subscription.channels.map((channel, index) => (
                    <Text key={channel.id ?? index} size="sm">
                      {channel.type}
                      {channel.url ? `: ${channel.url}` : channel.address ? `: ${channel.address}` : ''}
                      {channel.disabled_at ? ` (${t('subscriptions.disabled')})` : ''}
                    </Text>
                  ))}
                </Table.Td>
                <Table.Td>{formatDateTime(subscription.created_at)}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="default" onClick={() => setShown(subscription)}>
                    {t('subscriptions.showDeliveries')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {shown && <DeliveryLog subscription={shown} />}
    </Stack>
  );
}

function describeFilters(subscription: Subscription, everything: string): string {
  const { indicator_types, classifications, min_severity } = subscription.filters;
  const parts = [
    ...(indicator_types ?? []),
    ...(classifications ?? []),
    ...(min_severity ? [`≥ ${min_severity}`] : []),
  ];
  return parts.length ? parts.join(', ') : everything;
}

/** The newest deliveries of a subscription's webhooks, with every attempt's outcome; dead and failed ones replayed. */
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
  return (
    <Stack>
      <Title order={3}>{t('subscriptions.deliveryLog', { name: subscription.name })}</Title>
      <Text size="sm">{t('subscriptions.noTestDelivery')}</Text>
      {(deliveries.error ?? replay.error) && <Alert color="red">{(deliveries.error ?? replay.error)?.message}</Alert>}
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
                  <Code>{delivery.warning_id}</Code>
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
