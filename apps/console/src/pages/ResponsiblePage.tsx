import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dataOf, portal } from '../api/client';
import { ContactsTable } from '../components/ContactsTable';

/** "Who is responsible for this IP address, network, domain or AS?": the directory's constituencies answer. */
export default function ResponsiblePage() {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const lookup = useMutation({
    mutationFn: async (asked: string) =>
      dataOf(await portal.GET('/api/v1/directory/lookup', { params: { query: { value: asked } } })),
  });
  return (
    <Stack>
      <Title order={2}>{t('responsible.title')}</Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (value.trim()) lookup.mutate(value.trim());
        }}
      >
        <Group align="flex-end">
          <TextInput
            label={t('responsible.value')}
            description={t('responsible.hint')}
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            w={360}
          />
          <Button type="submit" loading={lookup.isPending}>
            {t('responsible.submit')}
          </Button>
        </Group>
      </form>
      {lookup.error && <Alert color="red">{lookup.error.message}</Alert>}
      {lookup.data && (
        <Stack>
          <Text>
            {lookup.data.matched
              ? t('responsible.matched', { value: lookup.data.value, matched: lookup.data.matched })
              : t('responsible.nobody', { value: lookup.data.value })}
          </Text>
          {lookup.data.organisations.map((card) => (
            <Card key={card.organisation.id} withBorder>
              <Group mb="xs">
                <Title order={3} size="h4">
                  {card.organisation.name}
                </Title>
                <Badge>{card.organisation.country ?? '—'}</Badge>
              </Group>
              <ContactsTable contacts={card.contacts} columns={{ hours: 'withoutLanguages', confirmed: true }} />
            </Card>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
