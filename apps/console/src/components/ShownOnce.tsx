import { Alert, Button, Code, CopyButton, Stack } from '@mantine/core';
import { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Copies `value` to the clipboard, saying so once done. */
export function CopyValueButton({ value }: { value: string }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button variant="default" size="xs" onClick={copy} w="fit-content">
          {copied ? t('common.copied') : t('common.copy')}
        </Button>
      )}
    </CopyButton>
  );
}

/** A secret or one-time link the server shows this once: the value, why to keep it, and a copy button. */
export function ShownOnce({
  title,
  hint,
  value,
  testId,
}: {
  title: string;
  hint: ReactNode;
  value: string;
  testId: string;
}) {
  return (
    <Alert color="indigo" variant="outline" title={title}>
      <Stack gap="xs">
        {hint}
        <Code data-testid={testId}>{value}</Code>
        <CopyValueButton value={value} />
      </Stack>
    </Alert>
  );
}
