import { Alert, Anchor, Badge, Card, Group, List, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { dataOf, portal } from '../api/client';
import { useCurrentPerson } from '../auth/session';
import { ContactsTable } from '../components/ContactsTable';
import { formatDateTime } from '../i18n';

/** One member's directory entry: profile, 24/7 contacts with their reachability, constituency. */
export default function DirectoryEntryPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const person = useCurrentPerson().data;
  const entry = useQuery({
    queryKey: ['directory-entry', id],
    queryFn: async () =>
      dataOf(await portal.GET('/api/v1/directory/{organisationId}', { params: { path: { organisationId: id } } })),
  });
  if (entry.error) return <Alert color="red">{entry.error.message}</Alert>;
  if (!entry.data) return <Loader aria-label={t('common.loading')} />;
  const { organisation, contacts, constituency } = entry.data;
  const mayEdit =
    person?.role === 'coordinator' || (person?.role === 'org-admin' && person.organisation_id === organisation.id);
  const constituencyLists: [string, (string | number)[]][] = [
    [t('directory.networks'), constituency.cidrs],
    [t('directory.asns'), constituency.asns.map((asn) => `AS${asn}`)],
    [t('directory.domains'), constituency.domains],
  ];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{organisation.name}</Title>
        <Group>
          <Anchor component={Link} to="/directory">
            {t('directory.back')}
          </Anchor>
          {mayEdit && (
            <Anchor component={Link} to={`/directory/${organisation.id}/edit`}>
              {t('directory.edit')}
            </Anchor>
          )}
        </Group>
      </Group>
      <Group>
        <Badge variant="light">{t(`directory.kinds.${organisation.kind}`)}</Badge>
        <Text>
          {organisation.country ?? '—'} · {organisation.sector ?? '—'}
        </Text>
        <Text size="sm" c="dimmed">
          {t('directory.updated', { at: formatDateTime(entry.data.updated_at) })}
        </Text>
      </Group>
      {entry.data.website && (
        <Anchor href={entry.data.website} target="_blank" rel="noreferrer">
          {entry.data.website}
        </Anchor>
      )}
      {entry.data.mandate && <Text>{t('directory.mandate', { mandate: entry.data.mandate })}</Text>}
      {entry.data.description && <Text>{entry.data.description}</Text>}

      <Title order={3} size="h4">
        {t('directory.contactsTitle')}
      </Title>
      {contacts.length === 0 ? (
        <Text>{t('directory.noContacts')}</Text>
      ) : (
        <ContactsTable
          contacts={contacts}
          columns={{ hours: 'withLanguages', pgpKey: true, reachability: true, confirmed: true }}
        />
      )}

      <Title order={3} size="h4">
        {t('directory.constituency')}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {constituencyLists.map(([title, values]) => (
          <Card key={title} withBorder>
            <Title order={4} size="h6">
              {title}
            </Title>
            {values.length === 0 ? (
              <Text size="sm">—</Text>
            ) : (
              <List size="sm">
                {values.map((value) => (
                  <List.Item key={value}>{value}</List.Item>
                ))}
              </List>
            )}
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
