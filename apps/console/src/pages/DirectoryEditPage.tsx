import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PortalSchemas, dataOf, portal } from '../api/client';
import { formatDateTime } from '../i18n';

type Entry = PortalSchemas['schemas']['DirectoryEntryDto'];
type PgpKeySummary = PortalSchemas['schemas']['PgpKeySummaryDto'];

interface ContactForm {
  name: string;
  role: string;
  email: string;
  phone: string;
  time_zone: string;
  languages: string;
  hours: string;
  /** The key registered now (the API answers only its fingerprint and expiry). */
  registeredKey: PgpKeySummary | null;
  /** A key pasted to replace it. */
  newKey: string;
  removeKey: boolean;
}

interface EntryForm {
  website: string;
  mandate: string;
  description: string;
  contacts: ContactForm[];
  cidrs: string;
  asns: string;
  domains: string;
}

const EMPTY_CONTACT: ContactForm = {
  name: '',
  role: '',
  email: '',
  phone: '',
  time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  languages: 'en',
  hours: '24/7',
  registeredKey: null,
  newKey: '',
  removeKey: false,
};

const lines = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);

const formOf = (entry: Entry): EntryForm => ({
  website: entry.website ?? '',
  mandate: entry.mandate ?? '',
  description: entry.description ?? '',
  contacts: entry.contacts.map((contact) => ({
    name: contact.name,
    role: contact.role,
    email: contact.email,
    phone: contact.phone,
    time_zone: contact.time_zone,
    languages: contact.languages.join(', '),
    hours: contact.hours,
    registeredKey: contact.pgp_key,
    newKey: '',
    removeKey: false,
  })),
  cidrs: entry.constituency.cidrs.join('\n'),
  asns: entry.constituency.asns.map((asn) => `AS${asn}`).join('\n'),
  domains: entry.constituency.domains.join('\n'),
});

/** An org-admin edits its organisation's directory entry (the coordinator any): profile, 24/7 contacts, constituency. */
export default function DirectoryEditPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<EntryForm | null>(null);
  const entry = useQuery({
    queryKey: ['directory-entry', id],
    queryFn: async () =>
      dataOf(await portal.GET('/api/v1/directory/{organisationId}', { params: { path: { organisationId: id } } })),
  });
  useEffect(() => {
    if (entry.data && !form) setForm(formOf(entry.data));
  }, [entry.data, form]);
  const save = useMutation({
    mutationFn: async (edited: EntryForm) =>
      dataOf(
        await portal.PUT('/api/v1/directory/{organisationId}', {
          params: { path: { organisationId: id } },
          body: {
            website: edited.website.trim() || null,
            mandate: edited.mandate.trim() || null,
            description: edited.description.trim() || null,
            contacts: edited.contacts.map((contact) => ({
              name: contact.name.trim(),
              role: contact.role.trim(),
              email: contact.email.trim(),
              phone: contact.phone.trim(),
              time_zone: contact.time_zone.trim(),
              languages: lines(contact.languages),
              hours: contact.hours,
              // Left out, the registered key stays; null removes it.
              ...(contact.newKey.trim() ? { pgp_key: contact.newKey } : contact.removeKey ? { pgp_key: null } : {}),
            })),
            constituency: {
              cidrs: lines(edited.cidrs),
              // AS64500 or 64500; anything else reaches the API as it is not a number, which names the problem.
              asns: lines(edited.asns).map((asn) => Number(asn.replace(/^AS/i, ''))),
              domains: lines(edited.domains),
            },
          },
        }),
      ),
    onSuccess: (saved) => {
      setForm(formOf(saved));
      queryClient.setQueryData(['directory-entry', id], saved);
      void queryClient.invalidateQueries({ queryKey: ['directory'] });
    },
  });
  if (entry.error) return <Alert color="red">{entry.error.message}</Alert>;
  if (!entry.data || !form) return <Loader aria-label={t('common.loading')} />;
  const setContact = (index: number, change: Partial<ContactForm>) =>
    setForm({ ...form, contacts: form.contacts.map((c, i) => (i === index ? { ...c, ...change } : c)) });
  const text = (key: 'website' | 'mandate' | 'description' | 'cidrs' | 'asns' | 'domains') => ({
    value: form[key],
    onChange: (event: { currentTarget: { value: string } }) => setForm({ ...form, [key]: event.currentTarget.value }),
  });
  return (
    <Stack
      component="form"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(form);
      }}
    >
      <Group justify="space-between">
        <Title order={2}>{t('directoryEdit.title', { name: entry.data.organisation.name })}</Title>
        <Anchor component={Link} to={`/directory/${id}`}>
          {t('directoryEdit.view')}
        </Anchor>
      </Group>
      <TextInput label={t('directoryEdit.website')} type="url" {...text('website')} maw={480} />
      <TextInput label={t('directoryEdit.mandate')} {...text('mandate')} maw={480} />
      <Textarea label={t('directoryEdit.description')} autosize minRows={2} {...text('description')} maw={720} />

      <Title order={3} size="h4">
        {t('directory.contactsTitle')}
      </Title>
      {form.contacts.map((contact, index) => {
        const number = index + 1;
        const label = (key: string) => t(`directoryEdit.contact.${key}`, { number });
        return (
          <Card key={index} withBorder component="fieldset" aria-label={t('directoryEdit.contactN', { number })}>
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              <TextInput
                label={label('name')}
                required
                value={contact.name}
                onChange={(e) => setContact(index, { name: e.currentTarget.value })}
              />
              <TextInput
                label={label('role')}
                required
                value={contact.role}
                onChange={(e) => setContact(index, { role: e.currentTarget.value })}
              />
              <TextInput
                label={label('email')}
                type="email"
                required
                value={contact.email}
                onChange={(e) => setContact(index, { email: e.currentTarget.value })}
              />
              <TextInput
                label={label('phone')}
                required
                value={contact.phone}
                onChange={(e) => setContact(index, { phone: e.currentTarget.value })}
              />
              <TextInput
                label={label('timeZone')}
                required
                value={contact.time_zone}
                onChange={(e) => setContact(index, { time_zone: e.currentTarget.value })}
              />
              <TextInput
                label={label('languages')}
                required
                value={contact.languages}
                onChange={(e) => setContact(index, { languages: e.currentTarget.value })}
              />
              <TextInput
                label={label('hours')}
                required
                value={contact.hours}
                onChange={(e) => setContact(index, { hours: e.currentTarget.value })}
              />
            </SimpleGrid>
            <Text size="sm" mt="sm" data-testid={`contact-key-${number}`}>
              {contact.registeredKey
                ? t('directoryEdit.keyRegistered', {
                    fingerprint: contact.registeredKey.fingerprint,
                    expires: contact.registeredKey.expires_at
                      ? formatDateTime(contact.registeredKey.expires_at)
                      : t('directoryEdit.never'),
                  })
                : t('directoryEdit.noKey')}
            </Text>
            <Textarea
              label={label('pgpKey')}
              description={t('directoryEdit.pgpHint')}
              autosize
              minRows={2}
              maxRows={8}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              value={contact.newKey}
              onChange={(e) => setContact(index, { newKey: e.currentTarget.value })}
              mt="xs"
            />
            <Group justify="space-between" mt="xs">
              {contact.registeredKey ? (
                <Checkbox
                  label={label('removeKey')}
                  checked={contact.removeKey}
                  onChange={(e) => setContact(index, { removeKey: e.currentTarget.checked })}
                />
              ) : (
                <span />
              )}
              <Button
                variant="subtle"
                color="red"
                onClick={() => setForm({ ...form, contacts: form.contacts.filter((_, i) => i !== index) })}
              >
                {label('remove')}
              </Button>
            </Group>
          </Card>
        );
      })}
      <Group>
        <Button variant="default" onClick={() => setForm({ ...form, contacts: [...form.contacts, EMPTY_CONTACT] })}>
          {t('directoryEdit.addContact')}
        </Button>
      </Group>

      <Title order={3} size="h4">
        {t('directory.constituency')}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Textarea
          label={t('directory.networks')}
          description={t('directoryEdit.onePerLine')}
          autosize
          minRows={3}
          {...text('cidrs')}
        />
        <Textarea
          label={t('directory.asns')}
          description={t('directoryEdit.onePerLine')}
          autosize
          minRows={3}
          {...text('asns')}
        />
        <Textarea
          label={t('directory.domains')}
          description={t('directoryEdit.onePerLine')}
          autosize
          minRows={3}
          {...text('domains')}
        />
      </SimpleGrid>
      {save.error && (
        <Alert color="red" title={t('directoryEdit.refused')}>
          {save.error.message}
        </Alert>
      )}
      {save.isSuccess && !save.isPending && <Alert color="green">{t('directoryEdit.saved')}</Alert>}
      <Group>
        <Button type="submit" loading={save.isPending}>
          {t('directoryEdit.save')}
        </Button>
      </Group>
    </Stack>
  );
}
