import { MultiSelect } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dataOf, portal } from '../api/client';

/** A member organisation as the pick-list shows it. */
interface Member {
  value: string;
  label: string;
}

const SHOWN_MEMBERS = 30;

interface AudiencePickerProps {
  value: string[];
  onChange: (ids: string[]) => void;
  /** TLP:RED: an audience must be chosen. */
  required: boolean;
  error?: React.ReactNode;
}

/**
 * The report's audience, picked from the active member organisations (the directory's search, filtered by name on the
 * server as the analyst types): none means the whole network, and TLP:RED needs at least one.
 */
export function AudiencePicker({ value, onChange, required, error }: AudiencePickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  // The chosen members stay listed (with their names) whatever the search shows.
  const [chosen, setChosen] = useState<Member[]>([]);
  const members = useQuery({
    queryKey: ['audience-members', debounced],
    queryFn: async () =>
      dataOf(
        await portal.GET('/api/v1/directory', {
          params: { query: { limit: SHOWN_MEMBERS, ...(debounced ? { name: debounced } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const found: Member[] = (members.data?.items ?? []).map(({ organisation }) => ({
    value: organisation.id,
    label: organisation.country ? `${organisation.name} (${organisation.country})` : organisation.name,
  }));
  const data = [...chosen, ...found.filter((member) => !chosen.some((known) => known.value === member.value))];
  return (
    <MultiSelect
      label={t('analyst.audience')}
      description={required ? t('analyst.audienceRedHint') : t('analyst.audienceHint')}
      placeholder={value.length === 0 ? t('analyst.audienceSearch') : undefined}
      required={required}
      error={error}
      // Mantine's default error red is too light on white for WCAG AA (axe: color-contrast).
      styles={{ error: { color: 'var(--mantine-color-red-9)' } }}
      searchable
      clearable
      hidePickedOptions
      searchValue={search}
      onSearchChange={setSearch}
      // The server filtered already; the list shows what it answered.
      filter={({ options }) => options}
      nothingFoundMessage={members.isFetching ? t('common.loading') : t('analyst.noMembers')}
      data={data}
      value={value}
      onChange={(ids) => {
        setChosen(data.filter((member) => ids.includes(member.value)));
        onChange(ids);
      }}
      data-testid="audience-picker"
    />
  );
}
