import { AppShell, Burger, Button, Group, NavLink, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { portal } from '../api/client';
import { CurrentPerson, ME_QUERY_KEY } from '../auth/session';
import { LANGUAGES, Language, chooseLanguage } from '../i18n';

interface NavItem {
  to: string;
  label: string;
}

export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      aria-label={t('layout.language')}
      value={i18n.language}
      onChange={(event) => chooseLanguage(event.currentTarget.value as Language)}
      data={LANGUAGES.map((language) => ({ value: language, label: t(`languages.${language}`) }))}
    />
  );
}

/** The item for this path: the longest matching prefix, so /directory/responsible is not also /directory. */
function isCurrent(to: string, pathname: string, items: readonly NavItem[]): boolean {
  const matches = (candidate: string) =>
    candidate === '/' ? pathname === '/' : pathname === candidate || pathname.startsWith(`${candidate}/`);
  if (!matches(to)) return false;
  return !items.some((other) => other.to.length > to.length && matches(other.to));
}

export function Layout({ person, children }: { person: CurrentPerson; children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle }] = useDisclosure();
  const location = useLocation();
  const queryClient = useQueryClient();
  const items: NavItem[] = [
    { to: '/', label: t('nav.home') },
    { to: '/reports/new', label: t('nav.submit') },
    { to: '/indicators', label: t('nav.search') },
    { to: '/lookup', label: t('nav.lookup') },
    { to: '/subscriptions', label: t('nav.subscriptions') },
    { to: '/directory', label: t('directory.nav') },
    { to: '/directory/responsible', label: t('nav.responsible') },
    ...(person.role === 'org-admin' || person.role === 'coordinator'
      ? [
          { to: '/people', label: t('nav.people') },
          { to: '/api-keys', label: t('nav.apiKeys') },
          { to: '/audit', label: t('nav.audit') },
          // Org-admins sponsor applications; the coordinator's entry is listed with its other pages.
          ...(person.role === 'org-admin' ? [{ to: '/applications', label: t('nav.applications') }] : []),
        ]
      : []),
    ...(person.role === 'coordinator'
      ? [
          { to: '/network-health', label: t('networkHealth.nav') },
          { to: '/applications', label: t('nav.applications') },
          { to: '/organisations', label: t('nav.organisations') },
          { to: '/mail-log', label: t('nav.mailLog') },
        ]
      : []),
  ];
  const signOut = async () => {
    await portal.POST('/api/v1/auth/logout');
    queryClient.setQueryData(ME_QUERY_KEY, null);
  };
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('layout.menu')} />
            <Title order={1} size="h3">
              Vigia
            </Title>
          </Group>
          <Group>
            <Text size="sm">
              {person.organisation_name} · {t(`roles.${person.role}`)}
            </Text>
            <LanguagePicker />
            <Button variant="default" onClick={() => void signOut()}>
              {t('layout.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="md" aria-label={t('layout.navigation')}>
        <Stack gap={4}>
          {items.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              variant="filled"
              active={isCurrent(item.to, location.pathname, items)}
            />
          ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
