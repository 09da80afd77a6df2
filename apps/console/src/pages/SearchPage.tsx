import { Alert, Anchor, Badge, Button, Group, MultiSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PortalSchemas } from '../api/client';
import { formatDateTime } from '../i18n';
import { indicatorSearchQuery, searchFiltersOf } from '../indicators/search-query';

type Indicator = PortalSchemas['schemas']['IndicatorSummaryDto'];
const TYPES = ['ipv4', 'ipv6', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'sha512', 'cve', 'asn'];
const ROW_HEIGHT = 40;
const COLUMNS = '2.5fr 0.8fr 0.6fr 0.6fr 0.8fr 1.2fr';

/** Indicator search: filters in the URL (a search can be shared), results paged by cursor into a virtualised list. */
export default function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const [types, setTypes] = useState<string[]>(params.getAll('type'));
  const results = useInfiniteQuery(indicatorSearchQuery(searchFiltersOf(params)));
  const rows: Indicator[] = results.data?.pages.flatMap((page) => page.items) ?? [];
  const scroller = useRef<HTMLDivElement>(null);
  const virtualiser = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualiser.getVirtualItems();
  const lastShown = items.at(-1)?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = results;
  // The next page is fetched when the list is scrolled near its end, never before.
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastShown >= rows.length - 50) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, lastShown, rows.length]);

  const search = () => {
    const next = new URLSearchParams();
    if (q.trim()) next.set('q', q.trim());
    types.forEach((type) => next.append('type', type));
    setParams(next);
  };
  return (
    <Stack>
      <Title order={2}>{t('search.title')}</Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          search();
        }}
      >
        <Group align="flex-end">
          <TextInput
            label={t('search.query')}
            description={t('search.queryHint')}
            value={q}
            onChange={(event) => setQ(event.currentTarget.value)}
            w={360}
          />
          <MultiSelect label={t('search.types')} data={TYPES} value={types} onChange={setTypes} clearable w={280} />
          <Button type="submit">{t('search.submit')}</Button>
        </Group>
      </form>
      {results.error && <Alert color="red">{results.error.message}</Alert>}
      <Text size="sm" data-testid="search-count">
        {results.isPending
          ? t('common.loading')
          : t('search.count', { count: rows.length, more: hasNextPage ? '+' : '' })}
      </Text>
      <div role="table" aria-label={t('search.results')} aria-rowcount={rows.length + 1}>
        <div role="rowgroup">
          <div
            role="row"
            style={{ display: 'grid', gridTemplateColumns: COLUMNS, fontWeight: 600, padding: '4px 8px' }}
          >
            <span role="columnheader">{t('indicator.value')}</span>
            <span role="columnheader">{t('indicator.type')}</span>
            <span role="columnheader">{t('indicator.score')}</span>
            <span role="columnheader">{t('indicator.orgs')}</span>
            <span role="columnheader">TLP</span>
            <span role="columnheader">{t('indicator.lastSeen')}</span>
          </div>
        </div>
        <div ref={scroller} role="rowgroup" style={{ height: '60vh', overflow: 'auto' }} data-testid="search-results">
          <div style={{ height: virtualiser.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              return (
                <div
                  key={row.id}
                  role="row"
                  aria-rowindex={item.index + 2}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    transform: `translateY(${item.start}px)`,
                    display: 'grid',
                    gridTemplateColumns: COLUMNS,
                    alignItems: 'center',
                    padding: '0 8px',
                    borderBottom: '1px solid var(--mantine-color-gray-3)',
                  }}
                >
                  <span role="cell" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                    <Anchor component={Link} to={`/indicators/${row.id}`} ff="monospace">
                      {row.value}
                    </Anchor>
                    {(row.suppressed.false_positive || row.suppressed.warninglist) && (
                      <Badge ml="xs" color="orange" variant="light" size="sm">
                        {t('indicator.suppressed')}
                      </Badge>
                    )}
                  </span>
                  <span role="cell">{row.type}</span>
                  <span role="cell">{row.score.toFixed(0)}</span>
                  <span role="cell">{row.org_count}</span>
                  <span role="cell">{row.tlp.toUpperCase()}</span>
                  <span role="cell">{formatDateTime(row.last_seen)}</span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </Stack>
  );
}
